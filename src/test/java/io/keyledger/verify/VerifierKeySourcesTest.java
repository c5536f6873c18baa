package io.keyledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.ledger.LedgerKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keyledger-verify reads a keyring from a JWKS (as /api/v2/ledger/public-keys serves it) or from PEMs. */
class VerifierKeySourcesTest {

    @Test
    void readsEveryEd25519KeyOfAJwks_andEveryKeyOfAPemFile(@TempDir Path dir) throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String ida = LedgerKeys.keyId(a.getPublic()), idb = LedgerKeys.keyId(b.getPublic());
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks,
                "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + LedgerKeys.x(b.getPublic())
                        + "\",\"kid\":\"" + idb + "\",\"use\":\"sig\"},{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                        + LedgerKeys.x(a.getPublic()) + "\",\"kid\":\"" + ida + "\",\"use\":\"sig\"}]}");
        assertEquals(List.of(idb, ida),
                KeyledgerVerify.readKeys(jwks.toString()).stream().map(LedgerKeys::keyId).toList());

        Path pems = dir.resolve("keys.pem");
        Files.writeString(pems, pem(a) + pem(b));
        assertEquals(List.of(ida, idb),
                KeyledgerVerify.readKeys(pems.toString()).stream().map(LedgerKeys::keyId).toList());
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
