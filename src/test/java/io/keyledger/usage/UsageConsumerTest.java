package io.keyledger.usage;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.projection.Projector;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Management;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsageConsumerTest {

    static final String TOPIC = "authentication-usage";

    @Inject
    Projector projector;

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("user");
    }

    private static String use(String keyId, String usedAt) {
        return "{\"key_id\":\"" + keyId + "\",\"used_at\":" + usedAt + ",\"authenticator\":\"gateway-1\"}";
    }

    /** Exact comparison: read as BigDecimal, since a float cannot tell seconds apart at today's epoch. */
    private void awaitLastUsedAt(String keyId, String expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().config(EXACT_NUMBERS).auth().oauth2(Tokens.admin(org))
                        .get(Api.KEY, org, "user", keyId).then().statusCode(200)
                        .body("last_used_at", isA(BigDecimal.class))
                        .body("last_used_at", comparesEqualTo(new BigDecimal(expected))));
    }

    static final RestAssuredConfig EXACT_NUMBERS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    private static double metric(String name) {
        String body = Management.metrics();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void outOfOrderAndDuplicateUsage_leavesLastUsedAtAtTheMaximum_asANumber() {
        String keyId = Fixtures.createKey(org, "user", "used");
        long base = System.currentTimeMillis() / 1000 - 1000;
        KafkaTopics.send(TOPIC,
                List.<String[]>of(new String[]{keyId, use(keyId, (base + 10) + ".5")},
                        new String[]{keyId, use(keyId, String.valueOf(base + 5))},
                        new String[]{keyId, use(keyId, (base + 10) + ".5")},
                        new String[]{keyId, use(keyId, String.valueOf(base + 1))}));
        awaitLastUsedAt(keyId, (base + 10) + ".5");

        // a later batch of older records never moves it back
        KafkaTopics.send(TOPIC, List.<String[]>of(new String[]{keyId, use(keyId, String.valueOf(base))}));
        String marker = Fixtures.createKey(org, "user", "marker");
        KafkaTopics.send(TOPIC, List.<String[]>of(new String[]{marker, use(marker, String.valueOf(base + 2))}));
        awaitLastUsedAt(marker, String.valueOf(base + 2));
        awaitLastUsedAt(keyId, (base + 10) + ".5");
    }

    @Test
    void poisonRecord_goesToTheDeadLetterTopicWithItsReason_andLaterRecordsStillApply() {
        String keyId = Fixtures.createKey(org, "user", "after poison");
        String poisonKey = "poison-" + UUID.randomUUID();
        double deadBefore = metric("keyledger_usage_records_dead_lettered_total");
        long now = System.currentTimeMillis() / 1000 - 5;
        KafkaTopics.send(TOPIC,
                List.<String[]>of(new String[]{poisonKey, "{this is not json"},
                        new String[]{poisonKey, "{\"key_id\":42,\"used_at\":\"yesterday\"}"},
                        new String[]{keyId, use(keyId, String.valueOf(now))}));

        awaitLastUsedAt(keyId, String.valueOf(now));
        var dead = KafkaTopics.awaitRecords(TOPIC + ".dlq", r -> poisonKey.equals(r.key()), seen -> seen.size() >= 2,
                Duration.ofSeconds(60));
        assertEquals("malformed JSON", header(dead.get(0), UsageConsumer.REASON_HEADER));
        assertEquals("{this is not json", dead.get(0).value());
        assertEquals("key_id must be a non-empty string", header(dead.get(1), UsageConsumer.REASON_HEADER));
        assertEquals(TOPIC, header(dead.get(0), "dlq-original-topic"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("keyledger_usage_records_dead_lettered_total") >= deadBefore + 2);
    }

    @Test
    void unknownKeyIds_areCountedAndSkipped() {
        double skippedBefore = metric("keyledger_usage_records_skipped_total");
        String unknown = "unknown-" + UUID.randomUUID();
        String known = Fixtures.createKey(org, "user", "known");
        long now = System.currentTimeMillis() / 1000 - 5;
        KafkaTopics.send(TOPIC, List.<String[]>of(new String[]{unknown, use(unknown, String.valueOf(now))},
                new String[]{known, use(known, String.valueOf(now))}));
        awaitLastUsedAt(known, String.valueOf(now));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("keyledger_usage_records_skipped_total") >= skippedBefore + 1);
    }

    @Test
    void lastUsedAt_survivesARebuildOfTheKeyProjection() {
        String keyId = Fixtures.createKey(org, "user", "rebuilt");
        long now = System.currentTimeMillis() / 1000 - 5;
        KafkaTopics.send(TOPIC, List.<String[]>of(new String[]{keyId, use(keyId, String.valueOf(now))}));
        awaitLastUsedAt(keyId, String.valueOf(now));
        projector.rebuild().await().indefinitely();
        awaitLastUsedAt(keyId, String.valueOf(now));
    }
}
