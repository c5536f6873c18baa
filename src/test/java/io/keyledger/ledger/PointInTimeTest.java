package io.keyledger.ledger;

import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
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

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    static long now() {
        return Instant.now().plus(Duration.ZERO).getEpochSecond();
    }

    @Test
    void pastAnswersStayRight_afterRotationRevocationAndDeletion() {
        String org = Fixtures.newOrgWithAccounts("svc", "other");
        String a = Fixtures.createKey(org, "svc", "a");
        String b = Fixtures.createKey(org, "other", "b");
        ShiftableClock.shift(Duration.ofHours(1));
        long t1 = clockNow(); // a and b active
        ShiftableClock.shift(Duration.ofHours(1));
        String a2 = Api.admin(org).rotate("svc", a, "{\"grace_period_hours\":1}").statusCode(201).extract().path("id");
        ShiftableClock.shift(Duration.ofMinutes(30));
        long t2 = clockNow(); // a in its grace period, a2 new, b
        ShiftableClock.shift(Duration.ofHours(1));
        long t3 = clockNow(); // a's grace over: a2 and b
        Api.admin(org).deleteAccount("other").statusCode(200);
        ShiftableClock.shift(Duration.ofMinutes(1));

        asOf(org, "svc", t1).body("id", equalTo(List.of(a))).body("[0]", not(hasKey("last_used_at")))
                .body("[0].description", equalTo("a"));
        asOf(org, "svc", t2).body("id", equalTo(List.of(a2, a)));
        asOf(org, "svc", t3).body("id", equalTo(List.of(a2)));
        asOf(org, "other", t3).body("id", equalTo(List.of(b)));
        asOf(org, "other", clockNow()).body("$", empty());

        Api.member(org).query("as_of", t2).orgKeys().statusCode(200).body("id", containsInAnyOrder(a2, a, b))
                .body("find { it.id == '" + b + "' }.service_account", equalTo("other"))
                .body("[0]", not(hasKey("last_used_at")));
        // without as_of: now, in which the other account is gone and a's grace is over
        Api.member(org).orgKeys().statusCode(200).body("id", equalTo(List.of(a2)));
    }

    @Test
    void anAccountThatDidNotExistYet_hasNoKeys_andBadInstantsAre400() {
        String org = Fixtures.newOrg();
        long before = clockNow() - 3600;
        Fixtures.createServiceAccount(org, "late");
        Fixtures.createKey(org, "late", "k");
        asOf(org, "late", before).body("$", empty());
        Api.admin(org).query("as_of", clockNow() + 3600).listKeys("late").statusCode(400).body("errors.as_of",
                containsString("future"));
        Api.admin(org).query("as_of", "yesterday").listKeys("late").statusCode(400).body("errors.as_of",
                notNullValue());
        Api.admin(org).query("as_of", "1.5").orgKeys().statusCode(400);
        Api.admin(org).query("as_of", before).listKeys("never").statusCode(404).body("message",
                equalTo("Service account not found"));
        Api.as(Tokens.admin("elsewhere"), org).orgKeys().statusCode(403);
    }

    private static long clockNow() {
        return new ShiftableClock().instant().getEpochSecond();
    }

    private static io.restassured.response.ValidatableResponse asOf(String org, String name, long at) {
        return Api.member(org).query("as_of", at).listKeys(name).statusCode(200);
    }
}
