package io.keyledger.api.accounts;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.api.RequestIds;
import io.keyledger.api.TraceParent;
import io.keyledger.api.http.JsonBody;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.KeyService;
import io.keyledger.application.OrgBootstraps;
import io.keyledger.auth.Actor;
import io.keyledger.auth.ApiKeyAuthMechanism;
import io.keyledger.auth.BootstrapToken;
import io.keyledger.store.EventMetadata;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The first admin of an org without an identity provider shaped for keyledger: the one-time bootstrap token
 * ({@link BootstrapToken}) makes an admin service account and its first key, once per org, ever (docs/identity.md).
 * Its security is the token itself, checked here: no JWT or API key is asked for.
 */
@Path("/api/v2/bootstrap")
@Tag(name = "Bootstrap")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class BootstrapResource extends ResourceSupport {

    public static final String OPERATION = "bootstrap_org_admin";

    static final String NOT_CONFIGURED = "Bootstrap is not configured";
    static final String WRONG_TOKEN = "Invalid bootstrap token";
    static final String WINDOW_PASSED = "The bootstrap window has passed";
    static final String ALREADY_USED = "The org was bootstrapped already";
    static final String OTHER_ORG = "The bootstrap token is not for this org";

    @Inject
    BootstrapToken token;

    @Inject
    OrgBootstraps bootstraps;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = OpenApiDefinition.BEARER)
    @Operation(operationId = OPERATION, summary = "Bootstrap an org's first admin",
            description = "With the one-time bootstrap token (Authorization: Bearer, read at start from "
                    + "KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE) creates an admin service account in the one org "
                    + "KEYLEDGER_AUTH_BOOTSTRAP_ORG names, and its first API key, shown once. Usable within "
                    + "KEYLEDGER_AUTH_BOOTSTRAP_WINDOW after start and once per org, ever: recorded as OrgBootstrapped.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BootstrapInput.class)))
    @APIResponse(responseCode = "201",
            description = "Admin service account and its first key created; the key is shown only here",
            content = @Content(schema = @Schema(implementation = BootstrapResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", description = "The token is for another org")
    @APIResponse(responseCode = "404", description = "Bootstrap is not configured")
    @APIResponse(responseCode = "409", description = "Service account already exists")
    @APIResponse(responseCode = "410",
            description = "The window after start has passed, or the org was bootstrapped already (or has an admin service account)")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<RestResponse<BootstrapResponse>> bootstrap(String body) {
        if (!token.configured()) {
            throw new ApiException(404, ErrorResponse.of(NOT_CONFIGURED));
        }
        RoutingContext routing = request.getCurrent();
        switch (token.check(routing.request().getHeader(HttpHeaders.AUTHORIZATION),
                ApiKeyAuthMechanism.clientAddress(routing))) {
            case BootstrapToken.Check.Throttled t -> throw new ApiException(429,
                    ErrorResponse.of("Too many failed authentications; retry after " + t.retryAfterSeconds() + " s"),
                    t.retryAfterSeconds());
            case BootstrapToken.Check.Refused r -> throw new ApiException(401, ErrorResponse.of(WRONG_TOKEN));
            case BootstrapToken.Check.Allowed a -> {
            }
        }
        if (!token.withinWindow(clock.instant())) {
            throw new ApiException(410, ErrorResponse.of(WINDOW_PASSED));
        }
        BootstrapInput input = BootstrapInput.from(JsonBody.parseObject(body, config.api().maxBodyBytes(),
                config.api().unknownFields(), BootstrapInput.FIELDS), validator);
        if (!token.org().equals(input.org())) {
            throw new ApiException(403, ErrorResponse.of(OTHER_ORG));
        }
        Actor actor = new Actor.Bootstrap();
        Object traceparent = routing.get(TraceParent.HEADER);
        EventMetadata metadata = new EventMetadata(actor.name(), actor.toMetadata(), RequestIds.current(routing),
                traceparent == null ? null : traceparent.toString());
        return bootstraps.bootstrap(input.org(), input.name(), input.description(), metadata)
                .onFailure(OrgBootstraps.AlreadyBootstrapped.class)
                .transform(failure -> new ApiException(410, ErrorResponse.of(ALREADY_USED)))
                .map((KeyService.BootstrappedAdmin admin) -> RestResponse.status(RestResponse.Status.CREATED,
                        BootstrapResponse.of(admin)));
    }
}
