package io.keyledger.store;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Kafka goes away and comes back: writes keep succeeding, nothing is lost, health tells the truth. */
@QuarkusTest
class KafkaOutageTest {

    @Test
    void postSucceedsWhileBrokerIsDown_andTheEventIsDeliveredAfterItReturns() {
        Assumptions.assumeTrue(RealServices.embeddedBroker() != null, "needs the in-process broker to stop and start it");
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "survivor");
        String stream = "service-account:" + org + ":survivor";
        KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()), seen -> !seen.isEmpty(), Duration.ofSeconds(30));

        String keyId;
        RealServices.stopBroker();
        try {
            keyId = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                    .body("{\"description\":\"written during the outage\"}")
                    .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, "survivor")
                    .then().statusCode(201).extract().path("id");
            given().auth().oauth2(Tokens.admin(org))
                    .get("/api/v2/service-accounts/{org}/{name}/api-keys/{id}", org, "survivor", keyId)
                    .then().statusCode(200);
            // the relay backs off and keeps trying, and readiness says it is stalled
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(503)
                            .body("checks.find { it.name == 'kafka-relay' }.status", equalTo("DOWN"))
                            .body("checks.find { it.name == 'kafka-relay' }.data.last_error", not(emptyOrNullString())));
        } finally {
            RealServices.startBroker();
        }

        String expectedKey = keyId;
        var records = KafkaTopics.awaitRecords("api-key-events", r -> stream.equals(r.key()),
                seen -> seen.stream().anyMatch(r -> r.value().contains(expectedKey)), Duration.ofSeconds(90));
        List<String> ceIds = records.stream().map(r -> header(r, "ce_id")).distinct().toList();
        assertEquals(2, ceIds.size(), "ServiceAccountCreated and KeyCreated, duplicates only with the same ce_id");
        assertTrue(records.stream().filter(r -> r.value().contains(expectedKey)).allMatch(r -> header(r, "ce_type").contains("KeyCreated")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'kafka-relay' }.status", equalTo("UP")));
    }
}
