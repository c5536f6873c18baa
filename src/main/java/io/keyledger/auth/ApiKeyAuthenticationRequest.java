package io.keyledger.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key, from a Bearer token or the user name of HTTP Basic. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[<redacted>]";
    }
}
