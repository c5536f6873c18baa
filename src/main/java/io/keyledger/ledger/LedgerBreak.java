package io.keyledger.ledger;

/** Where the ledger first fails to verify, and why. */
public record LedgerBreak(long position, String streamId, String reason) {

    /** The earlier of two breaks (by log position); either may be null. */
    public static LedgerBreak first(LedgerBreak a, LedgerBreak b) {
        if (a == null) {
            return b;
        }
        return b == null || a.position() <= b.position() ? a : b;
    }
}
