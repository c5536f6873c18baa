package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which keys were active at an instant, folded from the log: the answer about the past does not
 * change when keys are later rotated, revoked or their account deleted. Time is the injected clock.
 */
@QuarkusTest
class PointInTimeTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";
    static final String ORG_KEYS = "/api/v2/orgs/{org}/api-keys";

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    static long now() {
        return Instant.now().plus(Duration.ZERO).getEpochSecond();
    }

    @Test
    void pastAnswersStayRight_afterRotationRevocationAndDeletion() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        Fixtures.createServiceAccount(org, "other");
        String a = Fixtures.createKey(org, "svc", "a");
        String b = Fixtures.createKey(org, "other", "b");
        ShiftableClock.shift(Duration.ofHours(1));
        long t1 = clockNow();              // a and b active
        ShiftableClock.shift(Duration.ofHours(1));
        String a2 = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"grace_period_hours\":1}")
                .post(KEYS + "/{id}/rotate", org, "svc", a).then().statusCode(201).extract().path("id");
        ShiftableClock.shift(Duration.ofMinutes(30));
        long t2 = clockNow();              // a in its grace period, a2 new, b
        ShiftableClock.shift(Duration.ofHours(1));
        long t3 = clockNow();              // a's grace over: a2 and b
        given().auth().oauth2(Tokens.admin(org)).delete("/api/v2/service-accounts/{org}/{name}", org, "other").then().statusCode(200);
        ShiftableClock.shift(Duration.ofMinutes(1));

        asOf(org, "svc", t1).body("id", equalTo(List.of(a))).body("[0]", not(hasKey("last_used_at")))
                .body("[0].description", equalTo("a"));
        asOf(org, "svc", t2).body("id", equalTo(List.of(a2, a)));
        asOf(org, "svc", t3).body("id", equalTo(List.of(a2)));
        asOf(org, "other", t3).body("id", equalTo(List.of(b)));
        asOf(org, "other", clockNow()).body("$", empty());

        given().auth().oauth2(Tokens.member(org)).queryParam("as_of", t2).get(ORG_KEYS, org).then().statusCode(200)
                .body("id", containsInAnyOrder(a2, a, b))
                .body("find { it.id == '" + b + "' }.service_account", equalTo("other"))
                .body("[0]", not(hasKey("last_used_at")));
        // without as_of: now, in which the other account is gone and a's grace is over
        given().auth().oauth2(Tokens.member(org)).get(ORG_KEYS, org).then().statusCode(200).body("id", equalTo(List.of(a2)));
    }

    @Test
    void anAccountThatDidNotExistYet_hasNoKeys_andBadInstantsAre400() {
        String org = Fixtures.newOrg();
        long before = clockNow() - 3600;
        Fixtures.createServiceAccount(org, "late");
        Fixtures.createKey(org, "late", "k");
        asOf(org, "late", before).body("$", empty());
        given().auth().oauth2(Tokens.admin(org)).queryParam("as_of", clockNow() + 3600).get(KEYS, org, "late").then()
                .statusCode(400).body("errors.as_of", containsString("future"));
        given().auth().oauth2(Tokens.admin(org)).queryParam("as_of", "yesterday").get(KEYS, org, "late").then()
                .statusCode(400).body("errors.as_of", notNullValue());
        given().auth().oauth2(Tokens.admin(org)).queryParam("as_of", "1.5").get(ORG_KEYS, org).then().statusCode(400);
        given().auth().oauth2(Tokens.admin(org)).queryParam("as_of", before).get(KEYS, org, "never").then().statusCode(404)
                .body("message", equalTo("Service account not found"));
        given().auth().oauth2(Tokens.admin("elsewhere")).get(ORG_KEYS, org).then().statusCode(403);
    }

    private static long clockNow() {
        return new ShiftableClock().instant().getEpochSecond();
    }

    private static io.restassured.response.ValidatableResponse asOf(String org, String name, long at) {
        return given().auth().oauth2(Tokens.member(org)).queryParam("as_of", at).get(KEYS, org, name).then().statusCode(200);
    }
}
