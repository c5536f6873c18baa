package io.keyledger.api.accounts;

import io.keyledger.api.ApiException;
import io.keyledger.api.http.QueryParameters;
import io.keyledger.api.http.RateLimiter;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.api.ledger.LedgerResponses;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.LedgerQueries;
import io.keyledger.application.ServiceAccountService;
import io.keyledger.auth.Caller;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Service accounts: the owners of API keys. Admins of the org create them; admins and members read them. */
@Path("/api/v2/service-accounts/{org}")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ServiceAccountResource extends ResourceSupport {

    @Inject
    ServiceAccountService accounts;

    @Inject
    LedgerQueries ledger;

    @Inject
    RateLimiter rateLimiter;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "create_service_account", summary = "Create a service account",
            description = "Creates a service account in the org; it can then be given API keys. Needs org admin.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ServiceAccountPostInput.class)))
    @APIResponse(responseCode = "201", description = "Service account created",
            content = @Content(schema = @Schema(implementation = ServiceAccountResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "409", description = "Service account already exists")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public Uni<RestResponse<ServiceAccountResponse>> create(@PathParam("org") String org, String body) {
        Caller caller = accountWriter(org);
        if (!ServiceAccountNames.isValid(org)) {
            throw ApiException.invalid(Map.of("org", "Must be " + ServiceAccountNames.RULE));
        }
        ServiceAccountPostInput input = ServiceAccountPostInput.from(jsonBody(body, "name", "description", "privilege"),
                validator);
        Privilege privilege = Privilege.fromWireName(input.privilege()).orElseThrow();
        return accounts.create(org, input.name(), input.description(), privilege, metadata(caller))
                .map(view -> RestResponse.status(RestResponse.Status.CREATED, ServiceAccountResponse.of(view)));
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "get_service_account", summary = "Get a service account",
            description = "One service account of the org. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(schema = @Schema(implementation = ServiceAccountResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    public Uni<ServiceAccountResponse> get(@PathParam("org") String org, @PathParam("name") String name) {
        callers.requireRead(org);
        return accounts.find(org, name).map(found -> found.map(ServiceAccountResponse::of)
                .orElseThrow(() -> new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND)));
    }

    @GET
    @Operation(operationId = "list_service_accounts", summary = "List the service accounts of an org",
            description = "Every service account of the org, by name. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ServiceAccountResponse.class)))
    @APIResponse(responseCode = "403")
    public Uni<List<ServiceAccountResponse>> list(@PathParam("org") String org) {
        callers.requireRead(org);
        return accounts.list(org).map(views -> views.stream().map(ServiceAccountResponse::of).toList());
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "update_service_account", summary = "Change a service account's description or privilege",
            description = "Omitted fields stay as they are. API-key callers of the account get a new privilege at once. A PATCH "
                    + "that changes nothing records nothing. Needs org admin.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ServiceAccountPatchInput.class)))
    @APIResponse(responseCode = "200", description = "Updated",
            content = @Content(schema = @Schema(implementation = ServiceAccountResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    @APIResponse(responseCode = "409")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public Uni<ServiceAccountResponse> update(@PathParam("org") String org, @PathParam("name") String name,
            String body) {
        Caller caller = accountWriter(org);
        ServiceAccountPatchInput input = ServiceAccountPatchInput.from(jsonBody(body, "description", "privilege"),
                validator);
        Privilege privilege = input.privilege() == null
                ? null
                : Privilege.fromWireName(input.privilege()).orElseThrow();
        return accounts.update(org, name, input.description(), privilege, metadata(caller))
                .map(ServiceAccountResponse::of);
    }

    @DELETE
    @Path("/{name}")
    @Operation(operationId = "delete_service_account", summary = "Delete a service account, revoking all of its keys",
            description = "Revokes every key of the account, then deletes it. Needs org admin.")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(schema = @Schema(implementation = ServiceAccountDeletedResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    @APIResponse(responseCode = "409")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public Uni<ServiceAccountDeletedResponse> delete(@PathParam("org") String org, @PathParam("name") String name) {
        Caller caller = accountWriter(org);
        return accounts.delete(org, name, metadata(caller))
                .map(revoked -> new ServiceAccountDeletedResponse(name, revoked));
    }

    @GET
    @Path("/{name}/events")
    @Operation(operationId = "list_service_account_events", summary = "History of a service account",
            description = "The account's events, oldest first: what happened to it and its keys, who did it and when. "
                    + "Page with after (a position) and limit (1 to 1000, default 100); next_after is the next cursor. "
                    + "Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(schema = @Schema(implementation = LedgerResponses.EventHistoryResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid after or limit")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    public Uni<LedgerResponses.EventHistoryResponse> history(@PathParam("org") String org,
            @PathParam("name") String name, @QueryParam("after") String after, @QueryParam("limit") String limit) {
        callers.requireRead(org);
        long from = QueryParameters.after(after);
        int size = QueryParameters.limit(limit);
        return ledger.accountHistory(org, name, from, size).map(page -> new LedgerResponses.EventHistoryResponse(
                page.items().stream().map(LedgerResponses.EventHistoryEntry::of).toList(), page.nextAfter()));
    }

    /** The caller, who must be an admin of the org, within the org's rate of account writes. */
    private Caller accountWriter(String org) {
        Caller caller = callers.requireManage(org);
        rateLimiter.checkAccountWrite(org);
        return caller;
    }
}
