package io.keyledger.api;

/** Messages fixed by the Kosli contract; clients match on them. */
final class ErrorMessages {

    static final String SERVICE_ACCOUNT_NOT_FOUND = "Service account not found";
    static final String API_KEY_NOT_FOUND = "API key not found";
    static final String KEY_ALREADY_ROTATED = "API key was already rotated";
    static final String EXPIRES_AT_IN_PAST = "expires_at cannot be in the past";
    static final String AUTHENTICATION_REQUIRED = "Authentication required: send a bearer token";
    static final String INVALID_CREDENTIALS = "Invalid or expired credentials";
    static final String CONCURRENT_CHANGE = "Conflicting concurrent change; retry the request";

    private ErrorMessages() {
    }
}
