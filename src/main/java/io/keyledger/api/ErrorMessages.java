package io.keyledger.api;

/**
 * The messages of refusals that are not the domain's (those are {@link io.keyledger.serviceaccount.Rejection.Reason}'s):
 * missing or bad credentials, and a concurrent change.
 */
public final class ErrorMessages {

    static final String AUTHENTICATION_REQUIRED = "Authentication required: send a bearer token";
    static final String INVALID_CREDENTIALS = "Invalid or expired credentials";
    public static final String CONCURRENT_CHANGE = "Conflicting concurrent change; retry the request";

    private ErrorMessages() {
    }
}
