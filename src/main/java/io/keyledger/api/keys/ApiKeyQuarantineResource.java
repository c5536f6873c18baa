package io.keyledger.api.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyledger.api.ApiException;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.application.KeyService;
import io.keyledger.auth.Caller;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Rejection;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Quarantine: disable an active key (reversibly) and enable it again. A disabled key is refused everywhere with verify
 * code DISABLED, yet stays active: listed (with {@code disabled_at} and {@code disabled_reason}) and counted against
 * the cap, and it can still be revoked. Admins only.
 */
@Path("/api/v2/service-accounts/{org}/{name}/api-keys/{key_id}")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyQuarantineResource extends ResourceSupport {

    static final int MAX_REASON_LENGTH = Limits.MAX_DISABLE_REASON_LENGTH;

    /** Body of "disable an API key". */
    @Schema(name = "ApiKeyDisableInput", requiredProperties = "reason", additionalProperties = Schema.False.class)
    public record DisableInput(@Schema(type = SchemaType.STRING, minLength = 1, maxLength = MAX_REASON_LENGTH,
            description = "Why the key is disabled (kept in its history and shown while it is disabled)") String reason) {
    }

    @Inject
    KeyService keys;

    @POST
    @Path("/disable")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "disable_service_account_api_key", summary = "Disable an API key of a service account",
            description = "Quarantines an active key: it is refused everywhere (verify code DISABLED) until enabled, "
                    + "at once on this replica and on the others within the cross-replica bound. It stays active: "
                    + "listed with disabled_at and disabled_reason, and counted against the active-key cap.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DisableInput.class)))
    @APIResponse(responseCode = "200", description = "Key disabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyListItemResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "API key not found")
    @APIResponse(responseCode = "409", description = "API key is already disabled, or a conflicting concurrent change")
    public Uni<ApiKeyListItemResponse> disable(@PathParam("org") String org, @PathParam("name") String name,
            @PathParam("key_id") String keyId, String body) {
        Caller caller = callers.requireManage(org);
        JsonNode reason = jsonBody(body, "reason").get("reason");
        if (reason == null || reason.isNull()) {
            throw ApiException.invalid(Map.of("reason", "Field required"));
        }
        if (!reason.isTextual() || reason.textValue().isBlank() || reason.textValue().length() > MAX_REASON_LENGTH) {
            throw ApiException
                    .invalid(Map.of("reason", "Must be a string of 1 to " + MAX_REASON_LENGTH + " characters"));
        }
        return keys.disable(org, name, keyId, reason.textValue(), metadata(caller)).chain(() -> read(org, name, keyId));
    }

    @POST
    @Path("/enable")
    @Operation(operationId = "enable_service_account_api_key",
            summary = "Enable a disabled API key of a service account",
            description = "Lets a disabled key back in: it works again as before it was disabled.")
    @APIResponse(responseCode = "200", description = "Key enabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiKeyListItemResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "API key not found")
    @APIResponse(responseCode = "409", description = "API key is not disabled, or a conflicting concurrent change")
    public Uni<ApiKeyListItemResponse> enable(@PathParam("org") String org, @PathParam("name") String name,
            @PathParam("key_id") String keyId) {
        Caller caller = callers.requireManage(org);
        return keys.enable(org, name, keyId, metadata(caller)).chain(() -> read(org, name, keyId));
    }

    /** The key as GET answers it (with last_used_at), read after the change committed. */
    private Uni<ApiKeyListItemResponse> read(String org, String name, String keyId) {
        return keys.findActive(org, name, keyId).map(found -> found.map(ApiKeyListItemResponse::of)
                .orElseThrow(() -> new Rejection(Rejection.Reason.API_KEY_NOT_FOUND)));
    }
}
