package io.keyledger.api.http;

import io.keyledger.api.ApiException;
import io.keyledger.serviceaccount.Limits;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Map;

/**
 * The two halves of reading a request body: the raw-JSON parse (types, presence) reports its
 * problems by field, then Hibernate Validator checks the record's annotations, which are also
 * what the OpenAPI document shows. Every bad field is reported at once.
 */
public final class Inputs {

    public static final String REQUIRED = "Field required";
    public static final String TOO_LONG = "Must be at most " + Limits.MAX_DESCRIPTION + " characters";
    public static final String GRACE_RANGE = "Must be an integer from " + Limits.MIN_GRACE_HOURS + " to "
            + Limits.MAX_GRACE_HOURS;
    public static final String EXPIRES_AT_MAX = "Must not be later than " + Limits.MAX_EXPIRES_AT
            + " (2100-01-01T00:00:00Z)";

    private Inputs() {
    }

    /** Adds the annotation violations of {@code input} to {@code errors} (a field the parse already faulted keeps its reason), then throws if any. */
    public static <T> T checked(Validator validator, T input, Map<String, String> errors) {
        for (ConstraintViolation<T> violation : validator.validate(input)) {
            errors.putIfAbsent(jsonName(violation.getPropertyPath().toString()), violation.getMessage());
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return input;
    }

    /** A record component's name as it is on the wire: {@code gracePeriodHours} is {@code grace_period_hours}. */
    static String jsonName(String component) {
        return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
