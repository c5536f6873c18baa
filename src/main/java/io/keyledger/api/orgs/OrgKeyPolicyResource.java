package io.keyledger.api.orgs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Inputs;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.application.OrgKeyPolicies;
import io.keyledger.auth.Caller;
import io.keyledger.format.UnixSeconds;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An org's key policy: the longest a new key may live, and what a leak report does to a key. Admins set it; admins
 * and members read it.
 */
@Path("/api/v2/orgs/{org}/key-policy")
@Tag(name = "Service Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class OrgKeyPolicyResource extends ResourceSupport {

    static final String LIFETIME_RANGE = "Must be null or an integer from " + Limits.MIN_LIFETIME_DAYS + " to "
            + Limits.MAX_LIFETIME_DAYS;
    static final String ON_LEAK_VALUES = "Must be one of: revoke, disable";
    static final String ON_LEAK_DESCRIPTION = "What a leak report (POST /api/v2/api-keys/leaked) does to an active key"
            + " of the org: revoke (final; the default) or disable (a reversible quarantine, undone by enable)";

    @Schema(name = "OrgKeyPolicyInput", requiredProperties = "max_lifetime_days",
            additionalProperties = Schema.False.class)
    public record OrgKeyPolicyInput(@Min(value = Limits.MIN_LIFETIME_DAYS, message = LIFETIME_RANGE) @Max(
            value = Limits.MAX_LIFETIME_DAYS, message = LIFETIME_RANGE) @JsonProperty("max_lifetime_days") @Schema(
                    type = SchemaType.INTEGER, nullable = true,
                    description = "Longest lifetime of a new key, in days; null for none") Integer maxLifetimeDays,

            @JsonProperty("on_leak") @Schema(enumeration = {
                    "revoke", "disable"}, defaultValue = "revoke",
                    description = ON_LEAK_DESCRIPTION + ". Optional: absent sets revoke.") String onLeak) {

        static OrgKeyPolicyInput from(ObjectNode body, Validator validator) {
            Map<String, String> errors = new LinkedHashMap<>();
            Integer days = null;
            if (!body.has("max_lifetime_days")) {
                errors.put("max_lifetime_days", Inputs.REQUIRED);
            } else {
                JsonNode node = body.get("max_lifetime_days");
                if (!node.isNull()) {
                    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                        errors.put("max_lifetime_days", LIFETIME_RANGE);
                    } else {
                        days = node.intValue();
                    }
                }
            }
            String onLeak = OrgKeyPolicy.OnLeak.REVOKE.wireName();
            if (body.has("on_leak")) {
                JsonNode node = body.get("on_leak");
                if (!node.isTextual() || OrgKeyPolicy.OnLeak.ofWireName(node.textValue()) == null) {
                    errors.put("on_leak", ON_LEAK_VALUES);
                } else {
                    onLeak = node.textValue();
                }
            }
            return Inputs.checked(validator, new OrgKeyPolicyInput(days, onLeak), errors);
        }
    }

    @Schema(name = "OrgKeyPolicyResponse",
            requiredProperties = {"org", "max_lifetime_days", "on_leak", "updated_at", "updated_by"})
    public record OrgKeyPolicyResponse(String org,

            @JsonProperty("max_lifetime_days") @Schema(type = SchemaType.INTEGER,
                    nullable = true) Integer maxLifetimeDays,

            @JsonProperty("on_leak") @Schema(enumeration = {
                    "revoke", "disable"}, description = ON_LEAK_DESCRIPTION) String onLeak,

            @JsonProperty("updated_at") @Schema(type = SchemaType.NUMBER, nullable = true) BigDecimal updatedAt,

            @JsonProperty("updated_by") @Schema(nullable = true) String updatedBy) {

        static OrgKeyPolicyResponse of(String org, OrgKeyPolicy policy) {
            return new OrgKeyPolicyResponse(org, policy.maxLifetimeDays(), policy.onLeak().wireName(),
                    UnixSeconds.of(policy.updatedAt()), policy.updatedBy());
        }
    }

    @Inject
    OrgKeyPolicies policies;

    @GET
    @Operation(operationId = "get_org_key_policy", summary = "Get an org's key policy",
            description = "The longest lifetime of a new key (null: no limit), what a leak report does to a key "
                    + "(on_leak), and when and by whom it was set. " + "Needs org admin or member.")
    @APIResponse(responseCode = "200", description = "Successful Response",
            content = @Content(schema = @Schema(implementation = OrgKeyPolicyResponse.class)))
    @APIResponse(responseCode = "403")
    public Uni<OrgKeyPolicyResponse> get(@PathParam("org") String org) {
        callers.requireRead(org);
        return policies.get(org).map(policy -> OrgKeyPolicyResponse.of(org, policy));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "set_org_key_policy", summary = "Set an org's key policy",
            description = "From now on a new or rotated key without an expiry gets now + max_lifetime_days, and an "
                    + "expiry beyond that is refused. Keys issued before keep theirs. on_leak (optional, default revoke) "
                    + "says whether a leak report revokes a key or disables it. Needs org admin.")
    @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = OrgKeyPolicyInput.class)))
    @APIResponse(responseCode = "200", description = "The policy now",
            content = @Content(schema = @Schema(implementation = OrgKeyPolicyResponse.class)))
    @APIResponse(responseCode = "400")
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "409")
    public Uni<OrgKeyPolicyResponse> set(@PathParam("org") String org, String body) {
        Caller caller = callers.requireManage(org);
        OrgKeyPolicyInput input = OrgKeyPolicyInput.from(jsonBody(body, "max_lifetime_days", "on_leak"), validator);
        return policies
                .set(org, input.maxLifetimeDays(), OrgKeyPolicy.OnLeak.ofWireName(input.onLeak()), metadata(caller))
                .map(policy -> OrgKeyPolicyResponse.of(org, policy));
    }
}
