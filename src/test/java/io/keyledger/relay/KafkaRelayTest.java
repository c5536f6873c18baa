package io.keyledger.relay;

import static io.keyledger.testing.KafkaTopics.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.store.AdvisoryLock;
import io.keyledger.store.LockId;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KafkaRelayTest {

    static final String TOPIC = "api-key-events";

    @Inject
    Pool pool;

    @Inject
    KafkaRelay relay;

    @Inject
    RelayStatus relayStatus;

    private static String streamOf(String org, String name) {
        return "service-account:" + org + ":" + name;
    }

    private List<ConsumerRecord<String, String>> awaitStream(String stream, int count) {
        return KafkaTopics.awaitRecords(TOPIC, r -> stream.equals(r.key()),
                seen -> new HashSet<>(seen.stream().map(r -> header(r, "ce_id")).toList()).size() >= count,
                Duration.ofSeconds(60));
    }

    private List<String> eventIdsInStreamOrder(String stream) {
        return pool
                .preparedQuery("SELECT event_id::text AS id FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of(stream)).await().indefinitely().stream().map(r -> r.getString("id")).toList();
    }

    @Test
    void keyCreated_reachesTheTopic_withCloudEventsHeaders_andNoSecret() {
        String org = Fixtures.newOrgWithAccounts("ci-bot");
        var created = Api.admin(org).postKey("ci-bot", "{\"description\":\"audited\",\"expires_at\":4102444800}")
                .statusCode(201).extract();
        String id = created.path("id");
        String key = created.path("key");
        String hash = pool.preparedQuery("SELECT key_hash FROM api_keys WHERE id = $1").execute(Tuple.of(id)).await()
                .indefinitely().iterator().next().getString("key_hash");

        var records = awaitStream(streamOf(org, "ci-bot"), 2);
        ConsumerRecord<String, String> keyCreated = records.stream()
                .filter(r -> header(r, "ce_type").contains("KeyCreated")).findFirst().orElseThrow();

        assertEquals(streamOf(org, "ci-bot"), keyCreated.key());
        assertEquals("1.0", header(keyCreated, "ce_specversion"));
        assertEquals("io.keyledger.KeyCreated.v2", header(keyCreated, "ce_type"));
        assertNotNull(header(keyCreated, "ce_source"));
        assertNotNull(java.time.Instant.parse(header(keyCreated, "ce_time")));
        assertEquals("application/json", header(keyCreated, "content-type"));
        String eventId = pool.preparedQuery("SELECT event_id::text AS id FROM events WHERE data->>'id' = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getString("id");
        assertEquals(eventId, header(keyCreated, "ce_id"));

        JsonObject value = new JsonObject(keyCreated.value());
        assertEquals(Set.of("id", "org", "service_account", "description", "pepper_id", "created_at", "expires_at",
                "created_by"), value.fieldNames());
        assertEquals(id, value.getString("id"));
        assertEquals(org, value.getString("org"));
        assertEquals("ci-bot", value.getString("service_account"));
        assertEquals("audited", value.getString("description"));
        assertEquals(4102444800L, value.getLong("expires_at"));
        assertEquals("admin-of-" + org, value.getString("created_by"));
        assertTrue(value.getValue("created_at") instanceof Number);

        for (var record : records) {
            String everything = record.value() + record.key() + record.headers().toString();
            assertFalse(everything.contains(key), "key value leaked to Kafka");
            assertFalse(record.value().contains(hash), "key hash leaked to Kafka");
            assertFalse(record.value().contains("key_hash"));
        }
    }

    @Test
    void eventsOfOneStream_arriveInStreamOrder() {
        String org = Fixtures.newOrgWithAccounts("ordered");
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keyIds.add(Fixtures.createKey(org, "ordered", "k" + i));
        }
        Api.admin(org).revoke("ordered", keyIds.get(2)).statusCode(200);

        var records = awaitStream(streamOf(org, "ordered"), 7);
        List<String> published = records.stream().map(r -> header(r, "ce_id")).distinct().toList();
        assertEquals(eventIdsInStreamOrder(streamOf(org, "ordered")), published);
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(),
                "one stream, one partition");
        assertEquals("io.keyledger.KeyRevoked.v2", header(records.get(records.size() - 1), "ce_type"));
    }

    @Test
    void relayRestartedMidStream_losesNothing_andResendsOnlyWithTheSameCeId() {
        String org = Fixtures.newOrgWithAccounts("restart");
        awaitStream(streamOf(org, "restart"), 1);

        relay.stopRelay();
        try {
            for (int i = 0; i < 10; i++) {
                Fixtures.createKey(org, "restart", "while stopped " + i);
            }
            // a crash after Kafka acknowledged ServiceAccountCreated but before the checkpoint moved past it:
            // put the checkpoint just before that event
            pool.preparedQuery("""
                    UPDATE relay_checkpoints c SET transaction_id = e.transaction_id, position = e.position - 1
                      FROM events e WHERE e.stream_id = $1 AND e.stream_version = 1""")
                    .execute(Tuple.of(streamOf(org, "restart"))).await().indefinitely();
        } finally {
            relay.startRelay();
        }

        var records = awaitStream(streamOf(org, "restart"), 11);
        List<String> distinctInOrder = records.stream().map(r -> header(r, "ce_id")).distinct().toList();
        assertEquals(eventIdsInStreamOrder(streamOf(org, "restart")), distinctInOrder);
        String first = distinctInOrder.get(0);
        assertTrue(records.stream().filter(r -> header(r, "ce_id").equals(first)).count() >= 2,
                "the event before the rewound checkpoint is sent again");
        // every duplicate is an exact re-send of the same event
        for (var record : records) {
            long same = records.stream().filter(
                    r -> header(r, "ce_id").equals(header(record, "ce_id")) && !r.value().equals(record.value()))
                    .count();
            assertEquals(0, same);
        }
    }

    @Test
    void relayLeadership_isExclusive_acrossConnections() {
        await().atMost(Duration.ofSeconds(10)).until(() -> relayStatus.role() == RelayStatus.Role.LEADER);
        // a second replica's relay: the same lock, taken on a session of its own
        AdvisoryLock secondReplica = new AdvisoryLock(pool, LockId.RELAY_LEADER);
        boolean secondReplicaGotLock = secondReplica.held();
        secondReplica.release();
        assertFalse(secondReplicaGotLock, "a second relay must not become leader while the first holds the lock");
    }
}
