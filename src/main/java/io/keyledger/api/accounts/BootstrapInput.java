package io.keyledger.api.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.ServiceAccountNames;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

/** Body of "bootstrap an org's first admin": the org (the one the token is for) and the admin service account. */
@Schema(name = "BootstrapInput", requiredProperties = {"org", "name"}, additionalProperties = Schema.False.class)
public record BootstrapInput(
        @Pattern(regexp = ServiceAccountNames.PATTERN, message = "Must be " + ServiceAccountNames.RULE) @Schema(
                type = SchemaType.STRING, description = ServiceAccountNames.RULE) String org,

        @Pattern(regexp = ServiceAccountNames.PATTERN, message = "Must be " + ServiceAccountNames.RULE) @Schema(
                type = SchemaType.STRING, description = ServiceAccountNames.RULE) String name,

        @CodePointLength(max = Limits.MAX_DESCRIPTION, message = Inputs.TOO_LONG) @Schema(type = SchemaType.STRING,
                maxLength = Limits.MAX_DESCRIPTION) String description) {

    static final String[] FIELDS = {"org", "name", "description"};

    static BootstrapInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        String org = required(body, "org", errors);
        String name = required(body, "name", errors);
        String description = Fields.optionalText(body, "description", errors);
        return Inputs.checked(validator, new BootstrapInput(org, name, description), errors);
    }

    private static String required(ObjectNode body, String field, Map<String, String> errors) {
        // a blank value is a pattern violation, as any other bad name
        if (!body.hasNonNull(field)) {
            errors.put(field, Inputs.REQUIRED);
            return null;
        }
        return Fields.optionalText(body, field, errors);
    }
}
