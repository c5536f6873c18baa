package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every active key of an org, its last use and whether it outlives the org's policy: as JSON or CSV. */
@QuarkusTest
class CredentialReportTest {

    static final String REPORT = "/api/v2/orgs/{org}/credential-report";
    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    @Test
    void report_listsActiveKeys_flagsThoseOutlivingThePolicy_filtersByDisuse_andSpeaksCsv() {
        String org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"deployer\",\"privilege\":\"admin\"}").post("/api/v2/service-accounts/{org}", org)
                .then().statusCode(201);
        Fixtures.createServiceAccount(org, "reader");
        String old = Fixtures.createKey(org, "deployer", "from before, never expires");
        String gone = Fixtures.createKey(org, "reader", "revoked");
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "reader", gone).then().statusCode(200);
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"max_lifetime_days\":30}")
                .put("/api/v2/orgs/{org}/key-policy", org).then().statusCode(200);
        String capped = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"=HYPERLINK(\\\"x\\\"), with a comma\"}").post(KEYS, org, "reader")
                .then().statusCode(201).extract().path("id");

        given().auth().oauth2(Tokens.member(org)).get(REPORT, org).then().statusCode(200)
                .body("id", containsInAnyOrder(old, capped))
                .body("find { it.id == '" + old + "' }.exceeds_policy", equalTo(true))
                .body("find { it.id == '" + old + "' }.service_account", equalTo("deployer"))
                .body("find { it.id == '" + old + "' }.privilege", equalTo("admin"))
                .body("find { it.id == '" + capped + "' }.exceeds_policy", equalTo(false))
                .body("find { it.id == '" + capped + "' }.last_used_at", nullValue())
                .body("[0]", hasKey("last_used_at"));

        // nothing has gone unused for a day yet; two days on (the injected clock), everything has
        given().auth().oauth2(Tokens.member(org)).queryParam("unused_for_days", 1).get(REPORT, org).then().statusCode(200)
                .body("$", empty());
        ShiftableClock.shift(Duration.ofDays(2));
        given().auth().oauth2(Tokens.member(org)).queryParam("unused_for_days", 1).get(REPORT, org).then().statusCode(200)
                .body("id", containsInAnyOrder(old, capped));
        ShiftableClock.reset();

        String csv = given().auth().oauth2(Tokens.member(org)).accept("text/csv").get(REPORT, org).then().statusCode(200)
                .contentType(containsString("text/csv")).header("Content-Type", not(containsString("qs"))).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals("\"service_account\",\"privilege\",\"id\",\"description\",\"created_at\",\"expires_at\","
                + "\"last_used_at\",\"exceeds_policy\"", lines.get(0));
        assertEquals(3, lines.size(), csv);
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"x\"\"), with a comma\""), "quoted, and no formula: " + csv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("\"deployer\",\"admin\",\"" + old + "\",") && l.endsWith(",\"true\"")), csv);
    }

    @Test
    void report_needsReadRights_andAValidFilter() {
        String org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.admin("elsewhere")).get(REPORT, org).then().statusCode(403);
        for (String bad : new String[] {"-1", "x", "99999999"}) {
            given().auth().oauth2(Tokens.admin(org)).queryParam("unused_for_days", bad).get(REPORT, org).then().statusCode(400)
                    .body("errors.unused_for_days", notNullValue());
        }
    }
}
