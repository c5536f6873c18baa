package io.keyledger.api;

import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyGetTest {

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("ci-bot", "other-bot");
    }

    @Test
    void get_returns404_forUnknownId() {
        Api.admin(org).getKey("ci-bot", "00000000-0000-0000-0000-000000000000").statusCode(404)
                .contentType(ContentType.JSON).body("message", equalTo("API key not found"))
                .body("$", not(hasKey("errors")));
    }

    @Test
    void get_returns404_forKeyOfAnotherServiceAccount() {
        String id = Fixtures.createKey(org, "other-bot", "theirs");
        Api.admin(org).getKey("ci-bot", id).statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void get_returns404_forKeyOfMissingServiceAccount() {
        Api.admin(org).getKey("ghost", "abc").statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void get_returns404_onceTheKeyHasExpired() {
        // the injected clock crosses the expiry: no dependence on how fast the machine is
        long expiresAt = System.currentTimeMillis() / 1000 + 3600;
        String id = Api.admin(org).createKey("ci-bot", "{\"description\":\"short\",\"expires_at\":" + expiresAt + "}")
                .id();
        Api.admin(org).getKey("ci-bot", id).statusCode(200);
        try {
            io.keyledger.testing.ShiftableClock.shift(Duration.ofHours(2));
            Api.admin(org).getKey("ci-bot", id).statusCode(404).body("message", equalTo("API key not found"));
        } finally {
            io.keyledger.testing.ShiftableClock.reset();
        }
    }

    @Test
    void get_returns404_afterRevocation_andRevokingAgainIs404() {
        String id = Fixtures.createKey(org, "ci-bot", "to revoke");
        Api.admin(org).revoke("ci-bot", id).statusCode(200).body("id", equalTo(id)).body("revoked_at",
                isA(Float.class));
        Api.admin(org).getKey("ci-bot", id).statusCode(404).body("message", equalTo("API key not found"));
        Api.admin(org).revoke("ci-bot", id).statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void revoke_returns403_forMembers() {
        String id = Fixtures.createKey(org, "ci-bot", "kept");
        Api.member(org).revoke("ci-bot", id).statusCode(403);
        Api.member(org).getKey("ci-bot", id).statusCode(200);
    }
}
