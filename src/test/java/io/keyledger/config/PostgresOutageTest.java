package io.keyledger.config;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Management;
import io.keyledger.testing.RealServices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** PostgreSQL goes away and comes back: readiness follows, requests fail cleanly, then work again. */
@QuarkusTest
class PostgresOutageTest {

    @Test
    void readinessIsDownWhileThePostgresIsUnreachable_andUpAgainAfter() {
        Assumptions.assumeTrue(RealServices.embeddedDatabase(),
                "needs the suite's own PostgreSQL to stop and start it");
        String org = Fixtures.newOrgWithAccounts("steady");

        RealServices.stopPostgres();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> Management
                    .given().get("/health/ready").then().statusCode(503).body("status", equalTo("DOWN")));
            Management.given().get("/health/live").then().statusCode(200);
            // a request that needs the database gets a JSON 503 to retry, without a stack trace
            Api.admin(org).postKey("steady", "{\"description\":\"x\"}").statusCode(503)
                    .header("Retry-After", notNullValue()).contentType(ContentType.JSON)
                    .body("message", not(emptyOrNullString())).body(not(containsString("Exception")));
        } finally {
            RealServices.startPostgres();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(
                () -> Management.given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        Api.admin(org).postKey("steady", "{\"description\":\"after\"}").statusCode(201);
    }
}
