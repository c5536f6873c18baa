package io.keyledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure ledger arithmetic shared by the service and the standalone verifier: no I/O. */
class LedgerArithmeticTest {

    @Test
    void merkleRoot_matchesAnIndependentImplementation() {
        // computed with Python's hashlib, level by level, odd nodes carried up
        List<StreamHead> heads = List.of(new StreamHead("a", 1, "11".repeat(32)),
                new StreamHead("b", 3, "22".repeat(32)), new StreamHead("c", 2, "33".repeat(32)));
        assertEquals("4806f2c1afa481ba1fa936b1257420db7b02c4547014db2f700d85e0e95f7318", MerkleTree.root(heads));
        assertEquals(LedgerChain.sha256Hex(""), MerkleTree.root(List.of()));
    }

    @Test
    void theStreamingTree_equalsTheLevelByLevelDefinition_forEveryCountUpTo70() {
        List<String> leaves = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        for (int n = 1; n <= 70; n++) {
            String leaf = LedgerChain.sha256Hex("leaf " + n);
            leaves.add(leaf);
            tree.addLeaf(leaf);
            assertEquals(levelByLevel(leaves), tree.root(), "n = " + n);
        }
    }

    private static String levelByLevel(List<String> leaves) {
        List<String> level = new ArrayList<>(leaves);
        while (level.size() > 1) {
            List<String> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? LedgerChain.sha256Hex(level.get(i) + level.get(i + 1)) : level.get(i));
            }
            level = up;
        }
        return level.get(0);
    }

    @Test
    void jcs_matchesTheRfc8785Examples() {
        // RFC 8785 §3.2.2 (sorting and number/string serialization) and §3.2.3 (property order by UTF-16 code units)
        assertEquals(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
                new String(LedgerChain.canonicalize(
                        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", \"literals\": [null, true, false]}"),
                        StandardCharsets.UTF_8));
        assertEquals(
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                        + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
                new String(LedgerChain.canonicalize("{\"€\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": "
                        + "\"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", "
                        + "\"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}"),
                        StandardCharsets.UTF_8));
    }

    @Test
    void aStreamChain_findsAGap_aBrokenLink_andAnAlteredEntry() {
        byte[] one = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] two = "{\"n\":2}".getBytes(StandardCharsets.UTF_8);
        String h1 = LedgerChain.hash(LedgerChain.GENESIS, one);
        String h2 = LedgerChain.hash(h1, two);

        StreamChain sound = new StreamChain();
        assertNull(sound.accept(1, LedgerChain.GENESIS, h1, one));
        assertNull(sound.accept(2, h1, h2, two));

        assertTrue(new StreamChain().accept(2, h1, h2, two).startsWith("missing event"));
        StreamChain relinked = new StreamChain();
        relinked.accept(1, LedgerChain.GENESIS, h1, one);
        assertTrue(relinked.accept(2, LedgerChain.GENESIS, h2, two).startsWith("prev_hash"));
        StreamChain altered = new StreamChain();
        altered.accept(1, LedgerChain.GENESIS, h1, one);
        assertTrue(altered.accept(2, h1, h2, one).contains("altered"));
        assertNull(altered.accept(3, h2, "x", two), "a broken stream reports its first break only");
        assertTrue(new StreamChain().accept(1, LedgerChain.GENESIS, null, null).contains("without a ledger hash"));

        // records from before ledger entries open a stream; the chain starts at the first entry wherever it is
        StreamChain upgraded = new StreamChain();
        assertNull(upgraded.acceptUnchained());
        assertNull(upgraded.accept(5, "f".repeat(64), LedgerChain.hash("f".repeat(64), one), one));
        assertNotNull(upgraded.acceptUnchained(), "never inside the chain");
    }

    @Test
    void checkpointCoverage_takesEachStreamsLastCoveredEvent_perCheckpoint_andChecksTheSignature() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        // stream a: v1 in tx 10, v2 in tx 20, v3 in tx 30; stream b: v1 in tx 15. Checkpoints cover tx < 12, < 25, <
        // 100.
        String a1 = "a1".repeat(32), a2 = "a2".repeat(32), a3 = "a3".repeat(32), b1 = "b1".repeat(32);
        String root12 = MerkleTree.root(List.of(new StreamHead("a", 1, a1)));
        String root25 = MerkleTree.root(List.of(new StreamHead("a", 2, a2), new StreamHead("b", 1, b1)));
        String root100 = MerkleTree.root(List.of(new StreamHead("a", 3, a3), new StreamHead("b", 1, b1)));
        List<CheckpointCoverage.Claim> claims = List.of(claim(keys, 1, 100, root100), claim(keys, 7, 12, root12),
                claim(keys, 5, 25, root25));
        CheckpointCoverage coverage = new CheckpointCoverage(claims);
        CheckpointCoverage.Frontier a = coverage.frontier();
        a.event(1, "10", a1);
        a.event(2, "20", a2);
        a.event(3, "30", a3);
        CheckpointCoverage.Frontier b = coverage.frontier();
        b.event(1, "15", b1);
        coverage.add("a", a);
        coverage.add("b", b);
        assertNull(coverage.firstBreak(keys.getPublic()));

        // without stream b (deleted), the checkpoints that cover it fail; the first by position is named
        CheckpointCoverage withoutB = new CheckpointCoverage(claims);
        CheckpointCoverage.Frontier onlyA = withoutB.frontier();
        onlyA.event(1, "10", a1);
        onlyA.event(2, "20", a2);
        onlyA.event(3, "30", a3);
        withoutB.add("a", onlyA);
        LedgerBreak broken = withoutB.firstBreak(keys.getPublic());
        assertEquals(1, broken.position());
        assertTrue(broken.reason().contains("Merkle root"));

        // another key's signature
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertTrue(coverage.firstBreak(other.getPublic()).reason().contains("signature"));
    }

    private static CheckpointCoverage.Claim claim(KeyPair keys, long eventPosition, long covers, String root)
            throws Exception {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(keys.getPrivate());
        ed25519.update(CheckpointStatement.signedBytes(eventPosition - 1, Long.toString(covers), root));
        return new CheckpointCoverage.Claim(eventPosition, eventPosition - 1, Long.toString(covers), root,
                Base64.getEncoder().encodeToString(ed25519.sign()));
    }
}
