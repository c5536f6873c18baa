package io.keyledger.ledger;

/**
 * Checks one stream's chain, event by event in stream-version order: no version missing, each
 * {@code prev_hash} the hash before it, each hash the hash of its entry. It reports the stream's
 * first break only; later events of a broken stream are not judged.
 */
public final class StreamChain {

    private int nextVersion = 1;
    private String prev = LedgerChain.GENESIS;
    private boolean chained;
    private boolean afterUnchained;
    private boolean broken;

    /**
     * Checks the next event; {@code hash} or {@code entry} is null when the event has none.
     * Returns why the chain breaks here, or null when it holds.
     */
    public String accept(int streamVersion, String prevHash, String hash, byte[] entry) {
        if (broken) {
            return null;
        }
        String reason = check(streamVersion, prevHash, hash, entry);
        broken = reason != null;
        return reason;
    }

    /**
     * A record published before ledger entries existed (no entry, no version to place it): allowed
     * only before the stream's chain starts; the first chained event then starts the chain wherever it is.
     */
    public String acceptUnchained() {
        if (broken) {
            return null;
        }
        if (chained) {
            broken = true;
            return "record without a ledger entry inside the chain";
        }
        afterUnchained = true;
        return null;
    }

    private String check(int streamVersion, String prevHash, String hash, byte[] entry) {
        boolean resuming = afterUnchained && !chained;
        if (streamVersion != nextVersion && !resuming) {
            return "missing event: expected stream_version " + nextVersion + ", found " + streamVersion;
        }
        nextVersion = streamVersion + 1;
        if (hash == null || entry == null) {
            return "event without a ledger hash";
        }
        // after unchained records the first link points at a hash the verifier cannot recompute
        if (!resuming && !prev.equals(prevHash)) {
            return "prev_hash does not match the previous event's hash";
        }
        chained = true;
        if (prevHash == null || !LedgerChain.hash(prevHash, entry).equals(hash)) {
            return "hash does not match the event: it was altered";
        }
        prev = hash;
        return null;
    }

    public boolean broken() {
        return broken;
    }

    /** The version the next event must have. */
    public int nextVersion() {
        return nextVersion;
    }
}
