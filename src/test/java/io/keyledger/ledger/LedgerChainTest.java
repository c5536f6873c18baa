package io.keyledger.ledger;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tamper;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tamper-evident chain: every event links to the previous one of its stream by hash, Kafka
 * records carry the hashes, and the verify endpoint names the first bad position whatever is done
 * to the rows (altered data, a swapped key hash, a deleted middle row, two rows' data swapped).
 * Each tampering is done as the superuser with the append-only trigger off, then undone.
 */
@QuarkusTest
class LedgerChainTest {

    @Inject
    Pool pool;

    private List<Row> streamRows(String stream) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT position, stream_version, data, hash, prev_hash FROM events WHERE stream_id = $1"
                + " ORDER BY stream_version").execute(Tuple.of(stream)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    private void assertValid() {
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true))
                .body("events_checked", greaterThan(0)).body("checkpoints_checked", greaterThanOrEqualTo(0))
                .body("$", not(hasKey("first_break")));
    }

    private void assertBreakAt(long position, String stream, String reason) {
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(false))
                .body("first_break.position", equalTo((int) position)).body("first_break.stream_id", equalTo(stream))
                .body("first_break.reason", containsString(reason));
    }

    @Test
    void eventsAreChained_publishedWithTheirHashes_andEveryTamperingIsFoundAtItsPosition() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String a = Fixtures.createKey(org, "svc", "a");
        Fixtures.createKey(org, "svc", "b");
        Api.admin(org).revoke("svc", a).statusCode(200);
        String stream = "service-account:" + org + ":svc";
        List<Row> rows = streamRows(stream);
        assertEquals(4, rows.size());

        // the chain, as history shows it
        var history = Api.admin(org).accountEvents("svc").statusCode(200).extract();
        List<String> hashes = history.path("events.hash");
        List<String> prevs = history.path("events.prev_hash");
        assertEquals("0".repeat(64), prevs.get(0));
        for (int i = 0; i < hashes.size(); i++) {
            assertTrue(hashes.get(i).matches("[0-9a-f]{64}"), hashes.get(i));
            if (i > 0) {
                assertEquals(hashes.get(i - 1), prevs.get(i), "event " + i + " links to the one before");
            }
        }
        // and on Kafka
        var records = KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()), seen -> seen.size() >= 4,
                Duration.ofSeconds(60));
        assertEquals(hashes.get(0), header(records.get(0), "ce_ledgerhash"));
        assertEquals(prevs.get(1), header(records.get(1), "ce_ledgerprev"));

        assertValid();
        long second = rows.get(1).getLong("position");
        long third = rows.get(2).getLong("position");
        JsonObject secondData = rows.get(1).getJsonObject("data");
        JsonObject thirdData = rows.get(2).getJsonObject("data");

        // altered data
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1",
                Tuple.of(second, secondData.copy().put("description", "forged")));
        assertBreakAt(second, stream, "altered");
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(second, secondData));
        assertValid();

        // the attack that matters most: another key hash swapped in
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1",
                Tuple.of(second, secondData.copy().put("key_hash", "0".repeat(64))));
        assertBreakAt(second, stream, "altered");
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(second, secondData));
        assertValid();

        // two rows' contents swapped (reordered)
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(second, thirdData));
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(third, secondData));
        assertBreakAt(second, stream, "altered");
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(second, secondData));
        Tamper.asAttacker(pool, "UPDATE events SET data = $2 WHERE position = $1", Tuple.of(third, thirdData));
        assertValid();

        // a middle row deleted: the break is named at the event after the gap
        Row deleted = pool.preparedQuery("SELECT * FROM events WHERE position = $1").execute(Tuple.of(second)).await()
                .indefinitely().iterator().next();
        Tamper.asAttacker(pool, "DELETE FROM events WHERE position = $1", Tuple.of(second));
        assertBreakAt(third, stream, "missing event");
        Tamper.asAttacker(pool,
                "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,"
                        + " recorded_at, transaction_id, prev_hash, hash) OVERRIDING SYSTEM VALUE"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::xid8, $11, $12)",
                Tuple.from(java.util.Arrays.asList(deleted.getLong("position"), deleted.getUUID("event_id"),
                        deleted.getString("stream_id"), deleted.getInteger("stream_version"),
                        deleted.getString("event_type"), deleted.getInteger("schema_version"),
                        deleted.getJsonObject("data"), deleted.getJsonObject("metadata"),
                        deleted.getOffsetDateTime("recorded_at"), deleted.getValue("transaction_id").toString(),
                        deleted.getString("prev_hash"), deleted.getString("hash"))));
        assertValid();
    }

    @Test
    void onlyAuditorsMayVerify() {
        Api.admin("acme").verifyLedger().statusCode(403);
        given().get(Api.LEDGER_VERIFY).then().statusCode(401);
    }
}
