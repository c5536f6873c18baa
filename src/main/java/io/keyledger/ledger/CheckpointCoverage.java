package io.keyledger.ledger;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Re-checks every signed checkpoint against the log in one pass. A checkpoint covers what
 * transactions below its {@code covers_transactions_below} wrote, outside stream {@code ledger};
 * its Merkle root is over each such stream's last covered event. Streams are fed one at a time,
 * in {@link MerkleTree#STREAM_ORDER}; each stream keeps at most one candidate head per checkpoint,
 * so memory is bounded by the checkpoints, not by the log.
 */
public final class CheckpointCoverage {

    /**
     * A checkpoint as recorded: the event's own position, what it signed, and the id of the key that
     * signed it ({@link LedgerKeys#keyId}; null for checkpoints written before they named one).
     */
    public record Claim(long eventPosition, long position, String coversTransactionsBelow, String merkleRoot,
            String signature, String keyId) {

        public Claim(long eventPosition, long position, String coversTransactionsBelow, String merkleRoot,
                String signature) {
            this(eventPosition, position, coversTransactionsBelow, merkleRoot, signature, null);
        }

        long covers() {
            return Long.parseLong(coversTransactionsBelow);
        }
    }

    private final List<Claim> claims;
    private final long[] covers;
    private final MerkleTree[] trees;

    public CheckpointCoverage(List<Claim> checkpoints) {
        this.claims = new ArrayList<>(checkpoints);
        this.claims.sort(Comparator.comparingLong(Claim::covers));
        this.covers = claims.stream().mapToLong(Claim::covers).toArray();
        this.trees = new MerkleTree[claims.size()];
        Arrays.setAll(trees, i -> new MerkleTree());
    }

    public int size() {
        return claims.size();
    }

    /** One stream's candidate heads, fed its events in version order. */
    public final class Frontier {

        private record Candidate(int firstCheckpoint, int streamVersion, String hash) {
        }

        private final ArrayDeque<Candidate> candidates = new ArrayDeque<>();

        public void event(int streamVersion, String transactionId, String hash) {
            if (hash == null || claims.isEmpty()) {
                return;
            }
            // the first checkpoint that covers this event; every later one does too
            int first = Arrays.binarySearch(covers, Long.parseLong(transactionId) + 1);
            first = first >= 0 ? lowest(first) : -first - 1;
            if (first == covers.length) {
                return;
            }
            // a later version supersedes every candidate it is covered wherever they are
            while (!candidates.isEmpty() && candidates.peekLast().firstCheckpoint() >= first) {
                candidates.pollLast();
            }
            candidates.addLast(new Candidate(first, streamVersion, hash));
        }

        private int lowest(int index) {
            while (index > 0 && covers[index - 1] == covers[index]) {
                index--;
            }
            return index;
        }
    }

    public Frontier frontier() {
        return new Frontier();
    }

    /** Adds a stream's heads to every checkpoint that covers it; streams must come in stream order. */
    public void add(String streamId, Frontier frontier) {
        Iterator<Frontier.Candidate> it = frontier.candidates.iterator();
        Frontier.Candidate current = it.hasNext() ? it.next() : null;
        while (current != null) {
            Frontier.Candidate next = it.hasNext() ? it.next() : null;
            String leaf = MerkleTree.leaf(streamId, current.streamVersion(), current.hash());
            int until = next == null ? trees.length : next.firstCheckpoint();
            for (int k = current.firstCheckpoint(); k < until; k++) {
                trees[k].addLeaf(leaf);
            }
            current = next;
        }
    }

    /** The first checkpoint (by position) whose signature or root does not hold under this one key, or null. */
    public LedgerBreak firstBreak(PublicKey key) {
        return firstBreak(LedgerKeys.byId(List.of(key)));
    }

    /**
     * The first checkpoint (by position) whose signature or root does not hold, or null. A checkpoint
     * that names its key is checked with that key only, and one naming a key outside the set is a
     * break; one that names none (written before checkpoints named their key) may verify under any.
     */
    public LedgerBreak firstBreak(Map<String, PublicKey> keysById) {
        LedgerBreak first = null;
        for (int k = 0; k < claims.size(); k++) {
            Claim claim = claims.get(k);
            String reason = null;
            byte[] signed = CheckpointStatement.signedBytes(claim.position(), claim.coversTransactionsBelow(),
                    claim.merkleRoot());
            if (claim.keyId() != null && !keysById.containsKey(claim.keyId())) {
                reason = "checkpoint names an unknown signing key: " + claim.keyId();
            } else if (claim.keyId() != null
                    && !CheckpointStatement.verify(keysById.get(claim.keyId()), signed, claim.signature())) {
                reason = "checkpoint signature does not verify";
            } else if (claim.keyId() == null && keysById.values().stream()
                    .noneMatch(key -> CheckpointStatement.verify(key, signed, claim.signature()))) {
                reason = "checkpoint signature does not verify";
            } else if (!trees[k].root().equals(claim.merkleRoot())) {
                reason = "checkpoint's Merkle root does not match the log: events or streams it covers were deleted or changed";
            }
            if (reason != null) {
                first = LedgerBreak.first(first,
                        new LedgerBreak(claim.eventPosition(), MerkleTree.LEDGER_STREAM, reason));
            }
        }
        return first;
    }
}
