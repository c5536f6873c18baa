package io.keyledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Field checks shared by the request bodies; each failure lands in {@code errors} under the field name. */
final class Fields {

    private Fields() {
    }

    static String requiredText(ObjectNode body, String field, int maxLength, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.put(field, "Field required");
            return null;
        }
        return text(node, field, maxLength, true, errors);
    }

    static String optionalText(ObjectNode body, String field, int maxLength, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        return text(node, field, maxLength, false, errors);
    }

    private static String text(JsonNode node, String field, int maxLength, boolean required, Map<String, String> errors) {
        if (!node.isTextual()) {
            errors.put(field, "Must be a string");
            return null;
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            errors.put(field, "Field cannot be empty");
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.put(field, "Must be at most " + maxLength + " characters");
            return null;
        }
        return value;
    }
}
