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
        String unstorable = unstorable(value);
        if (unstorable != null) {
            errors.put(field, unstorable);
            return null;
        }
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

    /**
     * Why PostgreSQL could not store the text exactly as given, or null when it can: a NUL is
     * refused by the database, and an unpaired surrogate would be stored (and echoed) as '?'.
     */
    static String unstorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "Must not contain NUL (\\u0000) characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "Must be valid Unicode text (no unpaired surrogate characters)";
            }
        }
        return null;
    }

    /**
     * An optional {@code expires_at}: null when absent or null; otherwise an integer of unix seconds no
     * later than {@link ApiKeyPostInput#MAX_EXPIRES_AT}. Negative values pass, for the caller's "in the past".
     */
    static Long optionalExpiresAt(ObjectNode body, Map<String, String> errors) {
        JsonNode expires = body.get("expires_at");
        if (expires == null || expires.isNull()) {
            return null;
        }
        if (!expires.isIntegralNumber()) {
            errors.put("expires_at", "Must be an integer (unix seconds) or null");
            return null;
        }
        if (!expires.canConvertToLong() || expires.longValue() > ApiKeyPostInput.MAX_EXPIRES_AT) {
            errors.put("expires_at", "Must not be later than " + ApiKeyPostInput.MAX_EXPIRES_AT + " (2100-01-01T00:00:00Z)");
            return null;
        }
        return expires.longValue();
    }
}
