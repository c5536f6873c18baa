package io.keyledger.auth;

import java.util.Set;

/**
 * Who is calling and what they may do. Org permissions come from JWT groups of the form
 * {@code org:<org>:admin} and {@code org:<org>:member}.
 */
public record Caller(String subject, Set<String> groups) {

    public Caller {
        groups = Set.copyOf(groups);
    }

    /** May create service accounts and keys in the org. */
    public boolean canManage(String org) {
        return groups.contains("org:" + org + ":admin");
    }

    /** May read service accounts and keys in the org. */
    public boolean canRead(String org) {
        return canManage(org) || groups.contains("org:" + org + ":member");
    }
}
