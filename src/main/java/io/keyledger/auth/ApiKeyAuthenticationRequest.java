package io.keyledger.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key, from a Bearer token or the user name of HTTP Basic. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;
    private final Verification validFromCache;
    private final long startNanos;

    public ApiKeyAuthenticationRequest(String key) {
        this(key, null, System.nanoTime());
    }

    /** A key the mechanism already found valid in memory ({@link ApiKeyVerifier#validFromCache}), or null. */
    ApiKeyAuthenticationRequest(String key, Verification validFromCache, long startNanos) {
        this.key = key;
        this.validFromCache = validFromCache;
        this.startNanos = startNanos;
    }

    public String key() {
        return key;
    }

    Verification validFromCache() {
        return validFromCache;
    }

    long startNanos() {
        return startNanos;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[<redacted>]";
    }
}
