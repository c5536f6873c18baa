package io.keyledger.store;

import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerBreak;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.ledger.StreamChain;

/**
 * Checks the stored log event by event, in (stream id in code-point order, stream_version) order,
 * holding only the current stream's place in its chain and the checkpoints' candidate heads:
 * bounded memory however long the log. It finds an altered event (key hash included), a missing
 * event, a broken link and a removed hash; the checkpoints it feeds find a deleted tail or stream.
 */
public final class LedgerWalk {

    private final CheckpointCoverage coverage;
    private String stream;
    private StreamChain chain;
    private CheckpointCoverage.Frontier frontier;
    private LedgerBreak firstBreak;
    private long checked;

    public LedgerWalk(CheckpointCoverage coverage) {
        this.coverage = coverage;
    }

    public void accept(StoredEvent event) {
        if (!event.streamId().equals(stream)) {
            endStream();
            stream = event.streamId();
            chain = new StreamChain();
            frontier = coverage.frontier();
        }
        checked++;
        if (!chain.broken()) {
            String reason = chain.accept(event.streamVersion(), event.prevHash(), event.hash(),
                    event.hash() == null ? null : LedgerEntry.of(event));
            if (reason != null) {
                firstBreak = LedgerBreak.first(firstBreak, new LedgerBreak(event.position(), stream, reason));
            }
        }
        if (!MerkleTree.LEDGER_STREAM.equals(stream)) {
            frontier.event(event.streamVersion(), event.transactionId(), event.hash());
        }
    }

    /** Call once after the last event. */
    public void finish() {
        endStream();
        stream = null;
    }

    private void endStream() {
        if (stream != null && !MerkleTree.LEDGER_STREAM.equals(stream)) {
            coverage.add(stream, frontier);
        }
    }

    /** The earliest (by position) chain break found, or null. */
    public LedgerBreak firstBreak() {
        return firstBreak;
    }

    public long checked() {
        return checked;
    }
}
