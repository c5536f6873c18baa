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
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
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
        return optionalStrings(body, "scopes", io.keyledger.serviceaccount.Scopes::problem, errors);
    }

    /**
     * An optional array of strings under {@code field}: null when absent, null or empty (clients generated from the
     * document send an empty list for a field they do not use); otherwise the list {@code problem} finds nothing wrong
     * with, else an error under {@code field}.
     */
    private static java.util.List<String> optionalStrings(ObjectNode body, String field,
            java.util.function.Function<java.util.List<String>, String> problem, Map<String, String> errors) {
        JsonNode values = body.get(field);
        if (values == null || values.isNull()) {
            return null;
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        for (JsonNode value : values.isArray() ? values : java.util.List.<JsonNode>of(values)) {
            if (!values.isArray() || !value.isTextual()) {
                errors.put(field, "Must be an array of strings");
                return null;
            }
            list.add(value.textValue());
        }
        if (list.isEmpty()) {
            return null;
        }
        String wrong = problem.apply(list);
        if (wrong != null) {
            errors.put(field, wrong);
            return null;
        }
        return java.util.List.copyOf(list);
    }

    /**
     * An optional {@code allowed_cidrs}: null when absent, null or empty (as for scopes); otherwise 1 to 20 distinct IPv4
     * or IPv6 CIDRs, normalized (host bits cleared), else an error under {@code allowed_cidrs}.
     */
    public static java.util.List<String> optionalCidrs(ObjectNode body, Map<String, String> errors) {
        java.util.List<String> cidrs = optionalStrings(body, "allowed_cidrs", io.keyledger.auth.AddressRanges::problem,
                errors);
        return cidrs == null ? null : io.keyledger.auth.AddressRanges.normalized(cidrs);
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
