package io.keyledger.serviceaccount;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a key may do, narrower than its account: a list of scopes fixed when the key is issued. Null (no list) means
 * everything its account may do, as before scopes existed. Two scopes are keyledger's own, for its API; any other is
 * for gateways and upstreams, which ask the check endpoint for it.
 */
public final class Scopes {

    /** The reads a member may make. */
    public static final String READ = "keyledger:read";
    /** The writes an admin may make. */
    public static final String MANAGE = "keyledger:manage";
    /** Scopes under this prefix are keyledger's own: only {@link #READ} and {@link #MANAGE} exist. */
    static final String RESERVED_PREFIX = "keyledger:";

    public static final int MAX_SCOPES = 50;
    public static final int MAX_LENGTH = 128;
    private static final Pattern SCOPE = Pattern.compile("[a-z0-9._:/-]{1," + MAX_LENGTH + "}");

    private Scopes() {
    }

    /** Why a requested list of scopes cannot be issued, or null when it can. */
    public static String problem(List<String> scopes) {
        if (scopes.isEmpty() || scopes.size() > MAX_SCOPES) {
            return "Must list 1 to " + MAX_SCOPES + " scopes";
        }
        Set<String> seen = new HashSet<>();
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                return "Each scope is 1 to " + MAX_LENGTH + " characters of a-z 0-9 . _ : / -";
            }
            if (scope.startsWith(RESERVED_PREFIX) && !scope.equals(READ) && !scope.equals(MANAGE)) {
                return "Unknown reserved scope " + scope + ": keyledger's own are " + READ + " and " + MANAGE;
            }
            if (!seen.add(scope)) {
                return "Scopes must be distinct: " + scope + " is listed twice";
            }
        }
        return null;
    }

    /** True when a key with {@code granted} (null: unscoped) may do what {@code needed} names. */
    public static boolean allows(List<String> granted, String needed) {
        return granted == null || granted.contains(needed);
    }

    /** The scopes a rotation's new key gets: the old key's, or the narrower list asked for. */
    static List<String> forRotation(List<String> current, List<String> requested) {
        if (requested == null) {
            return current;
        }
        if (current != null && !current.containsAll(requested)) {
            List<String> extra = new ArrayList<>(requested);
            extra.removeAll(current);
            throw new Rejection(Rejection.Reason.SCOPES_NOT_A_SUBSET,
                    "scopes must be a subset of the rotated key's scopes; not in it: " + String.join(" ", extra));
        }
        return List.copyOf(requested);
    }
}
