package io.keyledger.serviceaccount;

/** The limits of the service account aggregate, defined once: request validation and the OpenAPI document use these. */
public final class Limits {

    /** Longest description of an account or a key, in characters (code points). */
    public static final int MAX_DESCRIPTION = 256;

    /** A rotation's grace period, in hours. */
    public static final int MIN_GRACE_HOURS = 1;

    public static final int MAX_GRACE_HOURS = 720;
    public static final int DEFAULT_GRACE_HOURS = 24;

    /** 2100-01-01T00:00:00Z: far enough for any real key, small enough for every client's integer type. */
    public static final long MAX_EXPIRES_AT = 4_102_444_800L;

    /** An org's longest key lifetime, in days, when it sets one. */
    public static final int MIN_LIFETIME_DAYS = 1;

    public static final int MAX_LIFETIME_DAYS = 3650;

    /** Why a key was disabled, in characters. */
    public static final int MAX_DISABLE_REASON_LENGTH = 200;

    private Limits() {
    }
}
