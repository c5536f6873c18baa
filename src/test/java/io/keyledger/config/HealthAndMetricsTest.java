package io.keyledger.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Health and metrics answer on the management port only; readiness is PostgreSQL only. */
@QuarkusTest
class HealthAndMetricsTest {

    private static final String[] CHANNELS = {"authentication-usage", "usage-dead-letters", "usage-out",
            "key-cache-invalidation"};

    @Test
    void readiness_checksPostgresOnly_notKafkaNorTheRelayNorTheChannels() {
        String ready = Management.given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsStringIgnoringCase("postgresql")))
                .body("checks.name", not(hasItem("kafka"))).body("checks.name", not(hasItem("kafka-relay"))).extract()
                .asString();
        for (String channel : CHANNELS) {
            assertThat("readiness must not wait for channel " + channel, ready, not(containsString(channel)));
        }
    }

    @Test
    void startup_doesNotWaitForTheMessagingChannels_butLivenessWatchesThem() {
        String started = Management.given().get("/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .extract().asString();
        String live = Management.given().get("/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .extract().asString();
        for (String channel : CHANNELS) {
            assertThat("start-up must not wait for channel " + channel, started, not(containsString(channel)));
        }
        assertThat(live, containsString("authentication-usage"));
    }

    @Test
    void kafkaHealthGroup_reportsTheBrokerAndTheRelay() {
        Management.given().get("/health/group/kafka").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("kafka", "kafka-relay"))
                .body("checks.find { it.name == 'kafka' }.data.brokers", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'kafka-relay' }.data.role", equalTo("LEADER"))
                .body("checks.find { it.name == 'kafka-relay' }.data.failing_seconds", equalTo(0));
    }

    @Test
    void apiPort_answersJson404_forHealthAndMetrics() {
        for (String path : new String[]{"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live",
                "/q/health/started", "/q/health/group/kafka"}) {
            given().get(path).then().statusCode(404).contentType(ContentType.JSON)
                    .body("message", not(emptyOrNullString()))
                    .body(not(containsString("keyledger_")), not(containsString("\"checks\"")));
        }
    }

    @Test
    void openApiDocument_staysOnTheApiPort_asThePublicContract() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).body("paths",
                hasKey("/api/v2/service-accounts/{org}"));
        Management.given().get("/openapi").then().statusCode(404);
    }

    @Test
    void prometheusMetrics_exposeTheServiceCounters_andTheRelayState() {
        Fixtures.createServiceAccount(Fixtures.newOrg(), "metered");
        String metrics = Management.metrics();
        assertThat(metrics, allOf(containsString("keyledger_keys_created_total"),
                containsString("keyledger_relay_events_published_total"),
                containsString("keyledger_relay_publication_lag_seconds"),
                containsString("keyledger_relay_checkpoint_position"),
                containsString("keyledger_relay_failing_seconds 0.0"), containsString("keyledger_relay_stalled 0.0"),
                containsString("keyledger_relay_leader 1.0"), containsString("keyledger_usage_records_applied_total"),
                containsString("keyledger_usage_records_skipped_total"),
                containsString("keyledger_usage_records_dead_lettered_total"),
                containsString("kafka_consumer_fetch_manager_records_lag")));
    }

    @Test
    void everyResponse_carriesARequestId_andEchoesAGivenOne() {
        Management.given().get("/health/live").then().header("X-Request-Id", nullValue());
        given().header("X-Request-Id", "trace-42").get("/api/v2/service-accounts/x/y").then().statusCode(401)
                .header("X-Request-Id", equalTo("trace-42"));
        given().get("/api/v2/service-accounts/x/y").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }
}
