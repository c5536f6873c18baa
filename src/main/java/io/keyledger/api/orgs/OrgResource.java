package io.keyledger.api.orgs;

import io.keyledger.api.http.QueryParameters;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.api.ledger.LedgerResponses;
import io.keyledger.application.LedgerQueries;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Org-wide questions, answered from the log: which keys could reach the org at an instant, a page of accounts at a time. */
@Path("/api/v2/orgs/{org}/api-keys")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class OrgResource extends ResourceSupport {

    @Inject
    LedgerQueries ledger;

    @Inject
    Clock clock;

    @GET
    @Operation(operationId = "list_org_api_keys",
            summary = "The keys of every service account of an org, at an instant",
            description = "Keys active at as_of (unix seconds; now when omitted) across the org's service accounts, "
                    + "newest first, folded from the log. Pages by service account: limit accounts (1 to 1000, default "
                    + "100) after the account named by after; when more may follow, a Link header with rel=\"next\" "
                    + "gives the next page. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            headers = @Header(name = "Link",
                    description = "The next page (rel=\"next\"), when more accounts may follow",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY,
                    implementation = LedgerResponses.OrgApiKeyResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid as_of, after or limit")
    @APIResponse(responseCode = "403")
    public Uni<RestResponse<List<LedgerResponses.OrgApiKeyResponse>>> list(@PathParam("org") String org,
            @Parameter(description = "Unix seconds; now when omitted") @QueryParam("as_of") String asOf,
            @Parameter(description = "The last service account of the previous page") @QueryParam("after") String after,
            @Parameter(
                    description = "Service accounts per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit) {
        callers.requireRead(org);
        var now = clock.instant();
        var at = asOf == null ? now : QueryParameters.asOf(asOf, now);
        String from = QueryParameters.afterAccount(after);
        int accounts = QueryParameters.limit(limit);
        return ledger.orgKeysAsOf(org, at, from, accounts).map(page -> {
            var response = RestResponse.ResponseBuilder
                    .ok(page.keys().stream().map(LedgerResponses.OrgApiKeyResponse::of).toList());
            if (page.nextAfter() != null) {
                response.header("Link",
                        "</api/v2/orgs/" + java.net.URLEncoder.encode(org, java.nio.charset.StandardCharsets.UTF_8)
                                + "/api-keys?" + (asOf == null ? "" : "as_of=" + at.getEpochSecond() + "&") + "after="
                                + page.nextAfter() + "&limit=" + accounts + ">; rel=\"next\"");
            }
            return response.build();
        });
    }
}
