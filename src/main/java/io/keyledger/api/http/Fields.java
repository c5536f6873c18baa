package io.keyledger.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Field checks shared by the request bodies; each failure lands in {@code errors} under the field name. */
public final class Fields {

    private Fields() {
    }

    public static String requiredText(ObjectNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.put(field, Inputs.REQUIRED);
            return null;
        }
        return text(node, field, true, errors);
    }

    public static String optionalText(ObjectNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        return text(node, field, false, errors);
    }

    private static String text(JsonNode node, String field, boolean required, Map<String, String> errors) {
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
        return value;
    }

    /**
     * Why PostgreSQL could not store the text exactly as given, or null when it can: a NUL is
     * refused by the database, and an unpaired surrogate would be stored (and echoed) as '?'.
     */
    public static String unstorable(String value) {
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
     * An optional {@code scopes}: null when absent, null or empty (clients generated from the document send an empty
     * list for a field they do not use: it must mean what leaving it out means); otherwise a list of strings that
     * {@link io.keyledger.serviceaccount.Scopes#problem} accepts, else an error under {@code scopes}.
     */
    public static java.util.List<String> optionalScopes(ObjectNode body, Map<String, String> errors) {
        JsonNode scopes = body.get("scopes");
        if (scopes == null || scopes.isNull()) {
            return null;
        }
        if (!scopes.isArray()) {
            errors.put("scopes", "Must be an array of strings");
            return null;
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        for (JsonNode scope : scopes) {
            if (!scope.isTextual()) {
                errors.put("scopes", "Must be an array of strings");
                return null;
            }
            list.add(scope.textValue());
        }
        if (list.isEmpty()) {
            return null;
        }
        String problem = io.keyledger.serviceaccount.Scopes.problem(list);
        if (problem != null) {
            errors.put("scopes", problem);
            return null;
        }
        return java.util.List.copyOf(list);
    }

    /**
     * An optional {@code expires_at}: null when absent or null; otherwise an integer of unix seconds (its
     * upper bound is the record's {@code @Max}). Negative values pass, for the caller's "in the past".
     */
    public static Long optionalExpiresAt(ObjectNode body, Map<String, String> errors) {
        JsonNode expires = body.get("expires_at");
        if (expires == null || expires.isNull()) {
            return null;
        }
        if (!expires.isIntegralNumber()) {
            errors.put("expires_at", "Must be an integer (unix seconds) or null");
            return null;
        }
        if (!expires.canConvertToLong()) {
            errors.put("expires_at", Inputs.EXPIRES_AT_MAX);
            return null;
        }
        return expires.longValue();
    }
}
