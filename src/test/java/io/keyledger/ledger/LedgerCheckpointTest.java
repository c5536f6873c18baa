package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.application.LedgerCheckpointer;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tamper;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Signed checkpoints catch what a per-stream chain cannot: a deleted tail, a deleted stream. The
 * checkpoint's signature verifies with the published public key, outside keyledger.
 */
@QuarkusTest
class LedgerCheckpointTest {

    @Inject
    LedgerCheckpointer checkpointer;

    @Inject
    Pool pool;

    @Test
    void aSignedCheckpoint_verifiesOffline_andCatchesADeletedTail() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        Fixtures.createKey(org, "svc", "last");
        var checkpoint = checkpointer.recordNow().await().indefinitely().orElseThrow();
        assertTrue(checkpointer.recordNow().await().indefinitely().isEmpty(), "nothing changed: no second checkpoint");

        // offline: the public key from the endpoint verifies the signature with the JDK alone
        String pem = given().get("/api/v2/ledger/public-key").then().statusCode(200).extract().asString();
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key);
        ed25519.update(
                ("keyledger-checkpoint:v2\n" + checkpoint.position() + "\n" + checkpoint.coversTransactionsBelow()
                        + "\n" + checkpoint.merkleRoot()).getBytes(StandardCharsets.UTF_8));
        assertTrue(ed25519.verify(Base64.getDecoder().decode(checkpoint.signature())));

        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true)).body("checkpoints_checked",
                greaterThanOrEqualTo(1));

        // delete the tail of a stream: every link that is left is still sound, only the checkpoint can tell
        String stream = "service-account:" + org + ":svc";
        // published first, as a real log's tail would be: the relay never sees the gap
        KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()), seen -> seen.size() >= 2,
                Duration.ofSeconds(60));
        Row tail = pool.preparedQuery("SELECT * FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next();
        Tamper.asAttacker(pool, "DELETE FROM events WHERE position = $1", Tuple.of(tail.getLong("position")));
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(false))
                .body("first_break.stream_id", equalTo("ledger"))
                .body("first_break.reason", containsString("Merkle root"));
        Tamper.asAttacker(pool,
                "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,"
                        + " recorded_at, transaction_id, prev_hash, hash) OVERRIDING SYSTEM VALUE"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::xid8, $11, $12)",
                Tuple.from(java.util.Arrays.asList(tail.getLong("position"), tail.getUUID("event_id"),
                        tail.getString("stream_id"), tail.getInteger("stream_version"), tail.getString("event_type"),
                        tail.getInteger("schema_version"), tail.getJsonObject("data"), tail.getJsonObject("metadata"),
                        tail.getOffsetDateTime("recorded_at"), tail.getValue("transaction_id").toString(),
                        tail.getString("prev_hash"), tail.getString("hash"))));
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));
    }
}
