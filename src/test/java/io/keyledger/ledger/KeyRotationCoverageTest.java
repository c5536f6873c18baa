package io.keyledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log checkpointed with key A, then (after a rotation) with key B, verifies against the keyring {B, A}. */
class KeyRotationCoverageTest {

    @Test
    void eachCheckpoint_verifiesWithTheKeyItNames_andOneWithoutAKeyIdWithAnyKeyOfTheSet() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String a1 = "a1".repeat(32), a2 = "a2".repeat(32);
        String root12 = MerkleTree.root(List.of(new StreamHead("a", 1, a1)));
        String root25 = MerkleTree.root(List.of(new StreamHead("a", 2, a2)));
        String root26 = root25;
        List<CheckpointCoverage.Claim> claims = List.of(claim(a, 5, 12, root12, null), // v2: names no key
                claim(a, 7, 25, root25, LedgerKeys.keyId(a.getPublic())),
                claim(b, 9, 26, root26, LedgerKeys.keyId(b.getPublic())));

        assertNull(coverage(claims, a1, a2).firstBreak(LedgerKeys.byId(List.of(b.getPublic(), a.getPublic()))));

        // without A in the keyring, A's checkpoints fail: the named one as an unknown key, the first by position first
        LedgerBreak onlyB = coverage(claims, a1, a2).firstBreak(LedgerKeys.byId(List.of(b.getPublic())));
        assertEquals(5, onlyB.position());
        assertTrue(onlyB.reason().contains("signature does not verify"), onlyB.reason());
        LedgerBreak unknown = coverage(claims.subList(1, 3), a1, a2)
                .firstBreak(LedgerKeys.byId(List.of(b.getPublic())));
        assertEquals(7, unknown.position());
        assertEquals("checkpoint names an unknown signing key: " + LedgerKeys.keyId(a.getPublic()), unknown.reason());

        // a checkpoint naming A but signed by B does not verify under A
        List<CheckpointCoverage.Claim> mislabeled = List.of(claim(b, 7, 25, root25, LedgerKeys.keyId(a.getPublic())));
        assertTrue(coverage(mislabeled, a1, a2).firstBreak(LedgerKeys.byId(List.of(a.getPublic(), b.getPublic())))
                .reason().contains("signature"));
    }

    @Test
    void keyId_isTheJwkThumbprint_andTheJwkXRoundTrips() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String id = LedgerKeys.keyId(a.getPublic());
        assertEquals(43, id.length());
        assertEquals(id, LedgerKeys.keyId(LedgerKeys.fromX(LedgerKeys.x(a.getPublic()))));
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(a.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertEquals(List.of(id, id), LedgerKeys.parseAll(pem + pem).stream().map(LedgerKeys::keyId).toList());
    }

    private static CheckpointCoverage coverage(List<CheckpointCoverage.Claim> claims, String a1, String a2) {
        CheckpointCoverage coverage = new CheckpointCoverage(claims);
        CheckpointCoverage.Frontier a = coverage.frontier();
        a.event(1, "10", a1);
        a.event(2, "20", a2);
        coverage.add("a", a);
        return coverage;
    }

    private static CheckpointCoverage.Claim claim(KeyPair keys, long eventPosition, long covers, String root,
            String keyId) throws Exception {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(keys.getPrivate());
        ed25519.update(CheckpointStatement.signedBytes(eventPosition - 1, Long.toString(covers), root));
        return new CheckpointCoverage.Claim(eventPosition, eventPosition - 1, Long.toString(covers), root,
                Base64.getEncoder().encodeToString(ed25519.sign()), keyId);
    }
}
