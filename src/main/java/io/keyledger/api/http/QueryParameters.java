package io.keyledger.api.http;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.serviceaccount.ServiceAccountNames;
import java.time.Instant;
import java.util.Map;

/** Query parameters of the ledger endpoints: each bad one is a 400 naming it. */
public final class QueryParameters {

    public static final String INVALID = "Invalid query parameter";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private QueryParameters() {
    }

    public static long after(String value) {
        if (value == null) {
            return 0;
        }
        Long after = integer(value);
        if (after == null || after < 0) {
            throw invalid("after", "Must be a position: an integer, 0 or more");
        }
        return after;
    }

    /** A service account name to page after ("" from the first). */
    public static String afterAccount(String value) {
        if (value == null) {
            return "";
        }
        if (!ServiceAccountNames.isValid(value)) {
            throw invalid("after", "Must be a service account name: " + ServiceAccountNames.RULE);
        }
        return value;
    }

    public static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        Long limit = integer(value);
        if (limit == null || limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit", "Must be an integer from 1 to " + MAX_LIMIT);
        }
        return limit.intValue();
    }

    /** An instant in unix seconds, not in the future. */
    public static Instant asOf(String value, Instant now) {
        Long seconds = integer(value);
        if (seconds == null || seconds < 0) {
            throw invalid("as_of", "Must be an integer (unix seconds)");
        }
        if (seconds > now.getEpochSecond()) {
            throw invalid("as_of", "Must not be in the future");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Long integer(String value) {
        if (value == null || !value.matches("-?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(value);
    }

    private static ApiException invalid(String parameter, String reason) {
        return new ApiException(400, new ErrorResponse(INVALID, Map.of(parameter, reason)));
    }
}
