package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.keyledger.api.ApiException;
import io.keyledger.api.http.JsonBody;
import io.keyledger.api.http.RateLimiter;
import io.keyledger.api.openapi.OpenApiDefinition;
import io.keyledger.auth.ApiKeyVerifier;
import io.keyledger.auth.Callers;
import io.keyledger.auth.Verification;
import io.keyledger.config.KeyledgerConfig;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Key verification for gateways and other services: JWTs whose groups contain keyledger:verifier. */
@Path("/api/v2/api-keys/verify")
@Authenticated
@Tag(name = "API Keys")
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {

    public static final String VERIFIER_ROLE = "keyledger:verifier";

    /** {@code valid} and {@code code} always; the rest only for a valid key (per field: the reflection-free writer ignores class-level inclusion). */
    @Schema(name = "ApiKeyVerifyResponse", requiredProperties = {"valid", "code"})
    public record VerifyResponse(boolean valid,

            @Schema(enumeration = {
                    "VALID", "NOT_FOUND", "EXPIRED", "REVOKED", "INVALID_FORMAT", "DISABLED"}) String code,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("key_id") String keyId,

            @JsonInclude(JsonInclude.Include.NON_NULL) String org,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("service_account") String serviceAccount,

            @JsonInclude(JsonInclude.Include.NON_NULL) String privilege,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("expires_at") @Schema(
                    type = SchemaType.INTEGER) Long expiresAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.ARRAY, implementation = String.class,
                    description = "What the key may do; present only for a valid key issued with scopes") java.util.List<String> scopes,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("allowed_cidrs") @Schema(type = SchemaType.ARRAY,
                    implementation = String.class,
                    description = "The addresses the key may be used from; present only for a valid key that has an allow-list") java.util.List<String> allowedCidrs) {

        static VerifyResponse of(Verification result) {
            return result.key()
                    .map(k -> new VerifyResponse(true, result.code().name(), k.keyId(), k.org(), k.serviceAccount(),
                            k.privilege(), k.expiresAt(), k.scopes(), k.allowedCidrs()))
                    .orElseGet(() -> new VerifyResponse(false, result.code().name(), null, null, null, null, null, null,
                            null));
        }
    }

    @Schema(name = "ApiKeyVerifyInput", requiredProperties = "key", additionalProperties = Schema.False.class)
    public record VerifyInput(String key,

            @com.fasterxml.jackson.annotation.JsonProperty("client_address") @Schema(
                    description = "Optional: the address the key was presented from (an IPv4 or IPv6 literal); a key with "
                            + "an address allow-list used from outside it is refused with 403") String clientAddress) {
    }

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    KeyledgerConfig config;

    @Inject
    Callers callers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verify_api_key", summary = "Verify an API key",
            description = "For gateways: tells whether a key is valid and whose it is. Records its use when valid. "
                    + "Needs a JWT whose groups contain keyledger:verifier.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = VerifyInput.class)))
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(schema = @Schema(implementation = VerifyResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    @SecurityRequirement(name = OpenApiDefinition.BEARER)
    public Uni<VerifyResponse> verify(String body) {
        rateLimiter.checkVerification(callers.requireRole(VERIFIER_ROLE).subject());
        var input = JsonBody.parseObject(body, config.api().maxBodyBytes(), config.api().unknownFields(), "key",
                "client_address");
        JsonNode key = input.get("key");
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            throw ApiException.invalid(
                    Map.of("key", key == null || key.isNull() ? "Field required" : "Must be a non-empty string"));
        }
        JsonNode client = input.get("client_address");
        if (client != null && !client.isNull()
                && (!client.isTextual() || !com.google.common.net.InetAddresses.isInetAddress(client.textValue()))) {
            throw ApiException.invalid(Map.of("client_address", "Must be an IPv4 or IPv6 address"));
        }
        String address = client == null || client.isNull() ? null : client.textValue();
        return verifier.verifyAndRecordUse(key.textValue(), address).map(result -> {
            // a key used from outside its allow-list is refused, as the API and the gateway check refuse it
            if (address != null && result.valid()
                    && !io.keyledger.auth.AddressRanges.allows(result.key().orElseThrow().allowedCidrs(), address)) {
                throw new ApiException(403,
                        io.keyledger.api.ErrorResponse.of(io.keyledger.auth.AddressNotAllowed.MESSAGE));
            }
            return VerifyResponse.of(result);
        });
    }
}
