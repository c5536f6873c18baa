package io.keyledger.api.keys;

import io.keyledger.api.http.QueryParameters;
import io.keyledger.api.http.RateLimiter;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.api.ledger.LedgerResponses;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.application.KeyService;
import io.keyledger.application.LedgerQueries;
import io.keyledger.auth.Caller;
import io.keyledger.format.UnixSeconds;
import io.keyledger.serviceaccount.Rejection;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The two Kosli API v2 operations of the seeds, matched field for field. */
@Path("/api/v2/service-accounts/{org}/{name}/api-keys")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource extends ResourceSupport {

    @Inject
    KeyService keys;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    LedgerQueries ledger;

    @Inject
    java.time.Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "create_service_account_api_key_service_accounts__org___name__api_keys_post",
            summary = "Create an API key for a service account",
            description = "Create a new API key for a service account. The key value is only returned once.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyPostInput.class)))
    @APIResponse(responseCode = "201", description = "Successful Response",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyCreatedResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid expiry date")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    @APIResponse(responseCode = "409")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public Uni<RestResponse<ApiKeyCreatedResponse>> create(@PathParam("org") String org, @PathParam("name") String name,
            String body) {
        Caller caller = keyCreator(org);
        ApiKeyPostInput input = ApiKeyPostInput
                .from(jsonBody(body, "description", "expires_at", "scopes", "allowed_cidrs"), validator);
        return keys
                .create(org, name, input.description(), input.expiresAt(), input.scopes(), input.allowedCidrs(),
                        metadata(caller))
                .map(issued -> RestResponse.status(RestResponse.Status.CREATED, ApiKeyCreatedResponse.of(issued)));
    }

    @GET
    @Path("/{key_id}")
    @Operation(operationId = "get_service_account_api_key", summary = "Get an API key for a service account",
            description = "Get a single active API key for a service account.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyListItemResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "API key not found")
    public Uni<ApiKeyListItemResponse> get(@PathParam("org") String org, @PathParam("name") String name,
            @PathParam("key_id") String keyId) {
        callers.requireRead(org);
        return keys.findActive(org, name, keyId).map(found -> found.map(ApiKeyListItemResponse::of)
                .orElseThrow(() -> new Rejection(Rejection.Reason.API_KEY_NOT_FOUND)));
    }

    @DELETE
    @Path("/{key_id}")
    @Operation(operationId = "revoke_service_account_api_key", summary = "Revoke an API key of a service account",
            description = "Revokes an active key; it stops authenticating at once. Revoking again returns 404.")
    @APIResponse(responseCode = "200", description = "Key revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyRevokedResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "API key not found")
    @APIResponse(responseCode = "409")
    public Uni<ApiKeyRevokedResponse> revoke(@PathParam("org") String org, @PathParam("name") String name,
            @PathParam("key_id") String keyId) {
        Caller caller = callers.requireManage(org);
        return keys.revoke(org, name, keyId, metadata(caller))
                .map(revokedAt -> new ApiKeyRevokedResponse(keyId, UnixSeconds.of(revokedAt)));
    }

    @GET
    @Operation(operationId = "list_service_account_api_keys", summary = "List the active API keys of a service account",
            description = "Active keys (not revoked, not expired), newest first. Key values are never returned.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyListItemResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid as_of")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account not found")
    public Uni<List<Object>> list(@PathParam("org") String org, @PathParam("name") String name,
            @Parameter(description = "Unix seconds: the keys active at that instant, folded from the "
                    + "log (without last_used_at, which is not in the log)") @QueryParam("as_of") String asOf) {
        callers.requireRead(org);
        if (asOf != null) {
            return ledger.accountKeysAsOf(org, name, QueryParameters.asOf(asOf, clock.instant()))
                    .map(found -> found.stream().<Object>map(LedgerResponses.ApiKeyAsOfResponse::of).toList());
        }
        return keys.listActive(org, name)
                .map(found -> found.map(list -> list.stream().<Object>map(ApiKeyListItemResponse::of).toList())
                        .orElseThrow(() -> new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND)));
    }

    @POST
    @Path("/{key_id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rotate_service_account_api_key", summary = "Rotate an API key of a service account",
            description = "Issues a replacement key (shown once) with the same description; the old key keeps "
                    + "working until grace_period_expires_at, then stops.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiKeyRotateInput.class)))
    @APIResponse(responseCode = "201", description = "Key rotated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyRotatedResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "API key not found")
    @APIResponse(responseCode = "409")
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    public Uni<RestResponse<ApiKeyRotatedResponse>> rotate(@PathParam("org") String org, @PathParam("name") String name,
            @PathParam("key_id") String keyId, String body) {
        Caller caller = keyCreator(org);
        ApiKeyRotateInput input = ApiKeyRotateInput.from(jsonBody(body == null || body.isBlank() ? "{}" : body,
                "grace_period_hours", "expires_at", "scopes", "allowed_cidrs"), validator);
        return keys
                .rotate(org, name, keyId, input.gracePeriodHours(), input.expiresAt(), input.scopes(),
                        input.allowedCidrs(), metadata(caller))
                .map(rotated -> RestResponse.status(RestResponse.Status.CREATED, ApiKeyRotatedResponse.of(rotated)));
    }

    @GET
    @Path("/{key_id}/events")
    @Operation(operationId = "list_service_account_api_key_events", summary = "History of an API key",
            description = "The key's events only (created, rotated, revoked), oldest first; works for revoked and "
                    + "expired keys too. Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LedgerResponses.EventHistoryResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Service account or API key not found")
    public Uni<LedgerResponses.EventHistoryResponse> keyHistory(@PathParam("org") String org,
            @PathParam("name") String name, @PathParam("key_id") String keyId) {
        callers.requireRead(org);
        return ledger.keyHistory(org, name, keyId).map(items -> new LedgerResponses.EventHistoryResponse(
                items.stream().map(LedgerResponses.EventHistoryEntry::of).toList(), null));
    }

    /** The caller, who must be an admin of the org, within the org's rate of key creations (rotations count). */
    private Caller keyCreator(String org) {
        Caller caller = callers.requireManage(org);
        rateLimiter.checkKeyCreation(org);
        return caller;
    }
}
