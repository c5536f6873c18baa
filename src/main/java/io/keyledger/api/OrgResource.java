package io.keyledger.api;

import io.keyledger.application.LedgerQueries;
import io.keyledger.auth.Callers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Org-wide questions, answered from the log: which keys could reach the org at an instant. */
@Path("/api/v2/orgs/{org}/api-keys")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.BASIC)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class OrgResource {

    @Inject
    LedgerQueries ledger;

    @Inject
    Callers callers;

    @Inject
    Clock clock;

    @GET
    @Operation(operationId = "list_org_api_keys", summary = "The keys of every service account of an org, at an instant",
            description = "Keys active at as_of (unix seconds; now when omitted) across the org's service accounts, "
                    + "newest first, folded from the log. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = LedgerResponses.OrgApiKeyResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid as_of", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    @APIResponse(responseCode = "403", description = "Forbidden", content = @Content(schema = @Schema(implementation = ErrorResponse.class)))
    public Uni<List<LedgerResponses.OrgApiKeyResponse>> list(
            @PathParam("org") String org,
            @Parameter(description = "Unix seconds; now when omitted") @QueryParam("as_of") String asOf) {
        callers.requireRead(org);
        var now = clock.instant();
        var at = asOf == null ? now : QueryParameters.asOf(asOf, now);
        return ledger.orgKeysAsOf(org, at).map(keys -> keys.stream().map(LedgerResponses.OrgApiKeyResponse::of).toList());
    }
}
