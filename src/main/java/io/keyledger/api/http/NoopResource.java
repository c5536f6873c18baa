package io.keyledger.api.http;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorMappers;
import io.keyledger.config.KeyledgerConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The HTTP ceiling for benchmarks: the same server, routing, filters and JSON writer, with no
 * work behind it. Off (404) unless keyledger.bench.noop-enabled=true; it reveals nothing either way.
 */
@Path("/api/v2/_noop")
@PermitAll
public class NoopResource {

    /** Small fixed body, about the size of an ApiKeyListItemResponse. */
    public record Noop(String id, String description, long expires_at) {
    }

    private static final Noop BODY = new Noop("00000000-0000-0000-0000-000000000000", "noop", 0);

    @Inject
    KeyledgerConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Noop> noop() {
        if (!config.bench().noopEnabled()) {
            throw ApiException.notFound(ErrorMappers.messageFor(404));
        }
        return Uni.createFrom().item(BODY);
    }
}
