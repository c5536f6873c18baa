package io.keyledger.auth;

import java.util.Set;

/**
 * Who is calling and what they may do. Org permissions come from groups of the form
 * {@code org:<org>:admin} and {@code org:<org>:member}.
 */
public record Caller(Actor actor, Set<String> groups) {

    public Caller {
        groups = Set.copyOf(groups);
    }

    /** The name recorded in the events' {@code *_by} fields. */
    public String subject() {
        return actor.name();
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
