package io.keyledger.store;

import java.util.Optional;

/**
 * Checks the ledger chain event by event, in (stream, stream_version) order, holding only the
 * current stream's position in it: bounded memory however long the log. It finds an altered
 * event, a missing event inside a stream, a broken link and a hash removed after the chain began.
 * (A deleted tail or a deleted stream needs the signed checkpoints, which are not recorded yet.)
 */
public final class LedgerWalk {

    /** Where the chain first fails, and why. */
    public record Break(long position, String streamId, String reason) {
    }

    private String stream;
    private int nextVersion;
    private String prev;
    private boolean chained;
    private long checked;

    /** Checks the next event; a break, or empty when it holds. */
    public Optional<Break> accept(StoredEvent event) {
        if (!event.streamId().equals(stream)) {
            stream = event.streamId();
            nextVersion = 1;
            prev = LedgerHash.GENESIS;
            chained = false;
        }
        checked++;
        if (event.streamVersion() != nextVersion) {
            return Optional.of(new Break(event.position(), stream,
                    "missing event: expected stream_version " + nextVersion + ", found " + event.streamVersion()));
        }
        nextVersion++;
        if (event.hash() == null) {
            // events from before the chain may open a stream; none may follow a hashed one
            return chained ? Optional.of(new Break(event.position(), stream, "event without a hash inside the chain"))
                    : Optional.empty();
        }
        chained = true;
        if (!prev.equals(event.prevHash())) {
            return Optional.of(new Break(event.position(), stream, "prev_hash does not match the previous event's hash"));
        }
        String expected = LedgerHash.hash(prev, LedgerHash.canonical(event.streamId(), event.streamVersion(), event.type(),
                event.schemaVersion(), event.data(), event.metadata(), event.recordedAt()));
        if (!expected.equals(event.hash())) {
            return Optional.of(new Break(event.position(), stream, "hash does not match the event: it was altered"));
        }
        prev = event.hash();
        return Optional.empty();
    }

    public long checked() {
        return checked;
    }
}
