package io.keyledger.serviceaccount;

import java.util.Locale;
import java.util.Optional;

/** What a service account may do in its org. Stored and sent as the lower-case name. */
public enum Privilege {
    ADMIN, MEMBER, SNAPSHOTTER, READER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire names, in declaration order: what clients may send. */
    public static java.util.List<String> wireNames() {
        return java.util.Arrays.stream(values()).map(Privilege::wireName).toList();
    }

    public static Optional<Privilege> fromWireName(String value) {
        for (Privilege p : values()) {
            if (p.wireName().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
