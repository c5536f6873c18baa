package io.keyledger.api;

import java.util.Map;

/** An error to send to the client as it is: a status and the seeds' error body. */
public final class ApiException extends RuntimeException {

    public static final String FORBIDDEN = "You don't have permission to access this resource";
    public static final String INVALID_BODY = "Invalid request body";

    private final int status;
    private final ErrorResponse body;
    private final long retryAfterSeconds;

    public ApiException(int status, ErrorResponse body) {
        this(status, body, 0);
    }

    public ApiException(int status, ErrorResponse body, long retryAfterSeconds) {
        super(body.message(), null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds for a Retry-After header, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException forbidden() {
        return new ApiException(403, ErrorResponse.of(FORBIDDEN));
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorResponse.of(message));
    }

    public static ApiException invalid(Map<String, String> errors) {
        return new ApiException(400, new ErrorResponse(INVALID_BODY, Map.copyOf(errors)));
    }

    public int status() {
        return status;
    }

    public ErrorResponse body() {
        return body;
    }
}
