package io.keyledger.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle root a checkpoint signs, built leaf by leaf in O(log n) memory. Leaves, in stream-id
 * order (Unicode code points, as {@link #STREAM_ORDER}), are {@code SHA-256(stream_id "\n" stream_version "\n" hash)};
 * a parent is {@code SHA-256(left ‖ right)} over the hex of its children; at each level an odd last
 * node is carried up unchanged; no streams gives SHA-256 of the empty string.
 */
public final class MerkleTree {

    /** Code-point order of stream ids; for the ids keyledger writes (ASCII) it is byte order and SQL {@code COLLATE "C"}. */
    public static final java.util.Comparator<String> STREAM_ORDER = String::compareTo;

    /** The stream that holds the checkpoints; it is not among the heads they cover. */
    public static final String LEDGER_STREAM = "ledger";

    /** pending.get(level): a node waiting for its right sibling, or null. */
    private final List<String> pending = new ArrayList<>();

    private long leaves;

    public static String leaf(String streamId, int streamVersion, String hash) {
        return LedgerChain.sha256Hex(streamId + "\n" + streamVersion + "\n" + hash);
    }

    public static String root(List<StreamHead> headsInStreamOrder) {
        MerkleTree tree = new MerkleTree();
        headsInStreamOrder.forEach(tree::add);
        return tree.root();
    }

    public void add(StreamHead head) {
        addLeaf(leaf(head.streamId(), head.streamVersion(), head.hash()));
    }

    public void addLeaf(String node) {
        leaves++;
        for (int level = 0;; level++) {
            if (level == pending.size()) {
                pending.add(null);
            }
            String left = pending.get(level);
            if (left == null) {
                pending.set(level, node);
                return;
            }
            pending.set(level, null);
            node = LedgerChain.sha256Hex(left + node);
        }
    }

    public long leaves() {
        return leaves;
    }

    /** The root of the leaves added so far; the tree stays usable. */
    public String root() {
        if (leaves == 0) {
            return LedgerChain.sha256Hex("");
        }
        // an odd node at a level is the last of that level: carried up, it pairs with a waiting left node above
        String carry = null;
        for (String left : pending) {
            if (left != null) {
                carry = carry == null ? left : LedgerChain.sha256Hex(left + carry);
            }
        }
        return carry;
    }
}
