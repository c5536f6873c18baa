package io.keyledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of "create a service account". */
@Schema(name = "ServiceAccountPostInput", requiredProperties = {"name", "privilege"})
public record ServiceAccountPostInput(
        @Schema(type = SchemaType.STRING, pattern = "^[a-z0-9][a-z0-9_-]{0,63}$",
                description = ServiceAccountNames.RULE) String name,
        @Schema(type = SchemaType.STRING, maxLength = ServiceAccountPostInput.MAX_DESCRIPTION) String description,
        @Schema(type = SchemaType.STRING, enumeration = {"admin", "member", "snapshotter", "reader"}) String privilege) {

    static final int MAX_DESCRIPTION = 256;

    static ServiceAccountPostInput from(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = null;
        JsonNode nameNode = body.get("name");
        if (nameNode == null || nameNode.isNull()) {
            errors.put("name", "Field required");
        } else if (!nameNode.isTextual()) {
            errors.put("name", "Must be a string");
        } else if (!ServiceAccountNames.isValid(nameNode.textValue())) {
            errors.put("name", "Must be " + ServiceAccountNames.RULE);
        } else {
            name = nameNode.textValue();
        }
        String description = Fields.optionalText(body, "description", MAX_DESCRIPTION, errors);
        String privilege = null;
        JsonNode privilegeNode = body.get("privilege");
        if (privilegeNode == null || privilegeNode.isNull()) {
            errors.put("privilege", "Field required");
        } else if (!privilegeNode.isTextual() || Privilege.fromWireName(privilegeNode.textValue()).isEmpty()) {
            errors.put("privilege", "Must be one of admin, member, snapshotter, reader");
        } else {
            privilege = privilegeNode.textValue();
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ServiceAccountPostInput(name, description, privilege);
    }
}
