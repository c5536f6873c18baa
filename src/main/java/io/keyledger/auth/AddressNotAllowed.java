package io.keyledger.auth;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;

/**
 * A valid key used from outside its address allow-list: answered 403 "API key is not allowed from this address".
 * (Quarkus's authentication failure is final, so the refusal travels as an attribute, as the throttle's wait does.)
 */
public final class AddressNotAllowed {

    public static final String MESSAGE = "API key is not allowed from this address";
    static final String ATTRIBUTE = "keyledger.address_not_allowed";

    private AddressNotAllowed() {
    }

    static AuthenticationFailedException failure() {
        return new AuthenticationFailedException(MESSAGE, Map.of(ATTRIBUTE, Boolean.TRUE));
    }

    /** True when the failure is a key used from outside its allow-list. */
    public static boolean is(AuthenticationFailedException failure) {
        return failure.getAttributes() != null && Boolean.TRUE.equals(failure.getAttributes().get(ATTRIBUTE));
    }
}
