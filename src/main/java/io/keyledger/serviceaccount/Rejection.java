package io.keyledger.serviceaccount;

/**
 * A command the domain refused. Carries a reason and the client's message, never a stack trace: the API
 * layer turns each reason into one status.
 */
public final class Rejection extends RuntimeException {

    /** Why, with what the client is told: words fixed by the Kosli contract, which clients match on. */
    public enum Reason {
        SERVICE_ACCOUNT_NOT_FOUND("Service account not found"), SERVICE_ACCOUNT_ALREADY_EXISTS(
                "Service account already exists"), API_KEY_NOT_FOUND(
                        "API key not found"), EXPIRES_AT_IN_PAST("expires_at cannot be in the past"),
        /** Each rejection names the cap. */
        ACTIVE_KEY_LIMIT_REACHED(null), KEY_ALREADY_ROTATED("API key was already rotated"),
        /** Each rejection names the policy's limit. */
        EXPIRES_AT_EXCEEDS_POLICY(null), KEY_ALREADY_DISABLED("API key is already disabled"), KEY_NOT_DISABLED(
                "API key is not disabled"),
        /** Each rejection names the scopes that are not in the rotated key's. */
        SCOPES_NOT_A_SUBSET(null);

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        /** The client's message for every rejection of this reason, or null where each rejection words its own. */
        public String message() {
            return message;
        }
    }

    private final Reason reason;

    /** A rejection in its reason's words. */
    public Rejection(Reason reason) {
        this(reason, java.util.Objects.requireNonNull(reason.message(),
                () -> reason + " has no words of its own: give them"));
    }

    /** {@code detail} is the client's message where the reason has none of its own, otherwise only for the log. */
    public Rejection(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** What the client is told: the reason's words, or this rejection's own where the reason has none. */
    public String clientMessage() {
        return reason.message() != null ? reason.message() : getMessage();
    }
}
