package io.keyledger.store;

import static io.keyledger.testing.KafkaTopics.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Management;
import io.keyledger.testing.RealServices;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away and comes back: writes keep succeeding, readiness stays UP (a broker outage must not take
 * every replica out of the Service), the "kafka" health group and the relay metrics tell the truth, and
 * nothing is lost.
 */
@QuarkusTest
class KafkaOutageTest {

    @Test
    void whileTheBrokerIsDown_readinessStaysUp_postsSucceed_andTheEventsArriveAfterItReturns() {
        Assumptions.assumeTrue(RealServices.embeddedBroker() != null,
                "needs the in-process broker to stop and start it");
        String org = Fixtures.newOrgWithAccounts("survivor");
        String stream = "service-account:" + org + ":survivor";
        KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()), seen -> !seen.isEmpty(),
                Duration.ofSeconds(30));

        List<String> keyIds = new ArrayList<>();
        RealServices.stopBroker();
        try {
            keyIds.add(createKey(org, "written during the outage"));
            // the relay backs off and keeps trying; the kafka group and the metrics say it is stalled ...
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Management.given().get("/health/group/kafka").then().statusCode(503)
                        .body("checks.find { it.name == 'kafka-relay' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'kafka-relay' }.data.last_error", not(emptyOrNullString()))
                        .body("checks.find { it.name == 'kafka' }.status", equalTo("DOWN"));
                assertEquals(1.0, metric("keyledger_relay_stalled"), "keyledger_relay_stalled");
            });
            assertTrue(metric("keyledger_relay_failing_seconds") > 0, "keyledger_relay_failing_seconds");
            // ... while the probes Kubernetes uses stay UP, and the API keeps answering
            Management.given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            Management.given().get("/health/live").then().statusCode(200).body("status", equalTo("UP"));
            Management.given().get("/health/started").then().statusCode(200).body("status", equalTo("UP"));
            keyIds.add(createKey(org, "written while the relay is stalled"));
            for (String keyId : keyIds) {
                Api.admin(org).getKey("survivor", keyId).statusCode(200);
            }
            Management.given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            RealServices.startBroker();
        }

        var records = KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()),
                seen -> keyIds.stream().allMatch(id -> seen.stream().anyMatch(r -> r.value().contains(id))),
                Duration.ofSeconds(120));
        List<String> ceIds = records.stream().map(r -> header(r, "ce_id")).distinct().toList();
        assertEquals(3, ceIds.size(), "ServiceAccountCreated and two KeyCreated, duplicates only with the same ce_id");
        for (String keyId : keyIds) {
            assertTrue(records.stream().filter(r -> r.value().contains(keyId))
                    .allMatch(r -> header(r, "ce_type").contains("KeyCreated")));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Management.given().get("/health/group/kafka").then().statusCode(200)
                    .body("checks.find { it.name == 'kafka-relay' }.status", equalTo("UP"));
            assertEquals(0.0, metric("keyledger_relay_stalled"), "keyledger_relay_stalled");
        });
        Management.given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static String createKey(String org, String description) {
        return Api.admin(org).createKey("survivor", "{\"description\":\"" + description + "\"}").id();
    }

    private static double metric(String name) {
        return Management.metrics().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
