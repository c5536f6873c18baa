package io.keyledger.api.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import io.keyledger.api.openapi.OpenApiRules;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountNames;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

/** Body of "create a service account". The privilege's allowed values come from {@link Privilege} (see {@link OpenApiRules}). */
@Schema(name = "ServiceAccountPostInput", requiredProperties = {"name", "privilege"},
        additionalProperties = Schema.False.class)
public record ServiceAccountPostInput(
        @Pattern(regexp = ServiceAccountNames.PATTERN, message = "Must be " + ServiceAccountNames.RULE) @Schema(
                type = SchemaType.STRING, description = ServiceAccountNames.RULE) String name,

        @CodePointLength(max = Limits.MAX_DESCRIPTION, message = Inputs.TOO_LONG) @Schema(type = SchemaType.STRING,
                maxLength = Limits.MAX_DESCRIPTION) String description,

        @Schema(type = SchemaType.STRING) String privilege) {

    static ServiceAccountPostInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        // a blank name is a pattern violation, as any other bad name
        String name = body.hasNonNull("name") ? Fields.optionalText(body, "name", errors) : null;
        if (!body.hasNonNull("name")) {
            errors.put("name", Inputs.REQUIRED);
        }
        String description = Fields.optionalText(body, "description", errors);
        String privilege = privilege(body, true, errors);
        return Inputs.checked(validator, new ServiceAccountPostInput(name, description, privilege), errors);
    }

    /** A privilege's wire name, checked against {@link Privilege}: the one list of them. */
    static String privilege(ObjectNode body, boolean required, Map<String, String> errors) {
        JsonNode node = body.get("privilege");
        if (node == null || node.isNull()) {
            if (required) {
                errors.put("privilege", Inputs.REQUIRED);
            }
            return null;
        }
        if (!node.isTextual() || Privilege.fromWireName(node.textValue()).isEmpty()) {
            errors.put("privilege", "Must be one of " + String.join(", ", Privilege.wireNames()));
            return null;
        }
        return node.textValue();
    }
}
