package io.keyledger.serviceaccount;

/**
 * A command the domain refused. Carries a reason, never a stack trace for the client: the API
 * layer turns each reason into one status and message.
 */
public final class Rejection extends RuntimeException {

    public enum Reason {
        SERVICE_ACCOUNT_NOT_FOUND,
        SERVICE_ACCOUNT_ALREADY_EXISTS,
        API_KEY_NOT_FOUND,
        EXPIRES_AT_IN_PAST,
        ACTIVE_KEY_LIMIT_REACHED,
        KEY_ALREADY_ROTATED,
        EXPIRES_AT_EXCEEDS_POLICY,
        KEY_ALREADY_DISABLED,
        KEY_NOT_DISABLED,
        SCOPES_NOT_A_SUBSET
    }

    private final Reason reason;

    public Rejection(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
