package io.keyledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.serviceaccount.Privilege;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of "update a service account": at least one of description and privilege. */
@Schema(name = "ServiceAccountPatchInput")
public record ServiceAccountPatchInput(
        @Schema(type = SchemaType.STRING, maxLength = ServiceAccountPostInput.MAX_DESCRIPTION) String description,
        @Schema(type = SchemaType.STRING, enumeration = {"admin", "member", "snapshotter", "reader"}) String privilege) {

    static ServiceAccountPatchInput from(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String description = body.hasNonNull("description")
                ? Fields.optionalText(body, "description", ServiceAccountPostInput.MAX_DESCRIPTION, errors) : null;
        String privilege = null;
        JsonNode privilegeNode = body.get("privilege");
        if (privilegeNode != null && !privilegeNode.isNull()) {
            if (!privilegeNode.isTextual() || Privilege.fromWireName(privilegeNode.textValue()).isEmpty()) {
                errors.put("privilege", "Must be one of admin, member, snapshotter, reader");
            } else {
                privilege = privilegeNode.textValue();
            }
        }
        if (errors.isEmpty() && description == null && privilege == null) {
            errors.put("body", "Give description and/or privilege");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ServiceAccountPatchInput(description, privilege);
    }
}
