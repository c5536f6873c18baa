package io.keyledger.api.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import io.keyledger.serviceaccount.Limits;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

/** Body of "update a service account": at least one of description and privilege. */
@Schema(name = "ServiceAccountPatchInput", additionalProperties = Schema.False.class)
public record ServiceAccountPatchInput(
        @CodePointLength(max = Limits.MAX_DESCRIPTION, message = Inputs.TOO_LONG) @Schema(type = SchemaType.STRING,
                maxLength = Limits.MAX_DESCRIPTION) String description,

        @Schema(type = SchemaType.STRING) String privilege) {

    static ServiceAccountPatchInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        String description = body.hasNonNull("description") ? Fields.optionalText(body, "description", errors) : null;
        String privilege = ServiceAccountPostInput.privilege(body, false, errors);
        if (errors.isEmpty() && description == null && privilege == null) {
            errors.put("body", "Give description and/or privilege");
        }
        return Inputs.checked(validator, new ServiceAccountPatchInput(description, privilege), errors);
    }
}
