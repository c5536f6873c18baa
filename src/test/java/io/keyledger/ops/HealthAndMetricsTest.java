package io.keyledger.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void readiness_checksPostgresKafkaAndTheRelay() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "kafka-relay"))
                .body("checks.name", hasItem(containsStringIgnoringCase("postgresql")))
                .body("checks.find { it.name == 'kafka-relay' }.data.role", equalTo("LEADER"));
    }

    @Test
    void liveness_andStartup_areUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetrics_exposeTheServiceCounters() {
        Fixtures.createServiceAccount(Fixtures.newOrg(), "metered");
        given().get("/q/metrics").then().statusCode(200).body(allOf(
                containsString("keyledger_keys_created_total"),
                containsString("keyledger_relay_events_published_total"),
                containsString("keyledger_relay_publication_lag_seconds"),
                containsString("keyledger_relay_checkpoint_position"),
                containsString("keyledger_usage_records_applied_total"),
                containsString("keyledger_usage_records_skipped_total"),
                containsString("keyledger_usage_records_dead_lettered_total"),
                containsString("kafka_consumer_fetch_manager_records_lag")));
    }

    @Test
    void everyResponse_carriesARequestId_andEchoesAGivenOne() {
        given().get("/q/health/live").then().header("X-Request-Id", nullValue());
        given().header("X-Request-Id", "trace-42").get("/api/v2/service-accounts/x/y").then().statusCode(401)
                .header("X-Request-Id", equalTo("trace-42"));
        given().get("/api/v2/service-accounts/x/y").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }
}
