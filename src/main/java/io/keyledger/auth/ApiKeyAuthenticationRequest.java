package io.keyledger.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key, from a Bearer token or the user name of HTTP Basic. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;
    private final Verification checked;

    public ApiKeyAuthenticationRequest(String key) {
        this(key, null);
    }

    /** A key {@link KeyCheck} verified already (counted and, when valid, recorded), or null to verify it here. */
    ApiKeyAuthenticationRequest(String key, Verification checked) {
        this.key = key;
        this.checked = checked;
    }

    public String key() {
        return key;
    }

    Verification checked() {
        return checked;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[<redacted>]";
    }
}
