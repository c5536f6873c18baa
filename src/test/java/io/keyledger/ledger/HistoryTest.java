package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What happened to an account and its keys, and who did it: read from the log, page by page. */
@QuarkusTest
class HistoryTest {

    static final String ACCOUNT_EVENTS = "/api/v2/service-accounts/{org}/{name}/events";
    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
    }

    @Test
    void accountHistory_listsEveryEventOldestFirst_withActorRequestIdAndPublishedData() {
        String first = Fixtures.createKey(org, "svc", "one");
        given().auth().oauth2(Tokens.admin(org)).header("X-Request-Id", "req-rotate").contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", first).then().statusCode(201);
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "svc", first).then().statusCode(200);

        var page = given().auth().oauth2(Tokens.member(org)).get(ACCOUNT_EVENTS, org, "svc").then().statusCode(200)
                .body("events.type", equalTo(List.of("ServiceAccountCreated", "KeyCreated", "KeyCreated", "KeyRotated", "KeyRevoked")))
                .body("events.stream_version", equalTo(List.of(1, 2, 3, 4, 5)))
                .body("events[0].schema_version", equalTo(1))
                .body("events[0].actor", equalTo(Map.of("type", "user", "subject", "admin-of-" + org)))
                .body("events[3].request_id", equalTo("req-rotate"))
                .body("events[1].data.id", equalTo(first))
                .body("events[1].data", not(hasKey("key_hash")))
                .body("events[0].recorded_at", notNullValue())
                .body("events[0]", hasKey("hash")).body("events[0]", hasKey("prev_hash"))
                .body("next_after", nullValue())
                .extract();
        List<Integer> positions = page.path("events.position");
        assertEquals(positions.stream().sorted().toList(), positions, "oldest first");
        assertFalse(page.asString().contains("\"key\":"), "no key value anywhere");
    }

    @Test
    void accountHistory_pagesWithAfterAndLimit() {
        Fixtures.createKey(org, "svc", "a");
        Fixtures.createKey(org, "svc", "b");
        var first = given().auth().oauth2(Tokens.admin(org)).queryParam("limit", 2).get(ACCOUNT_EVENTS, org, "svc").then()
                .statusCode(200).body("events.size()", equalTo(2)).body("next_after", notNullValue()).extract();
        long next = ((Number) first.path("next_after")).longValue();
        assertEquals(next, ((Number) first.path("events[1].position")).longValue());
        given().auth().oauth2(Tokens.admin(org)).queryParam("after", next).queryParam("limit", 2).get(ACCOUNT_EVENTS, org, "svc")
                .then().statusCode(200).body("events.size()", equalTo(1)).body("events[0].type", equalTo("KeyCreated"))
                .body("next_after", nullValue());
    }

    @Test
    void keyHistory_listsOnlyThatKeysEvents_evenOnceRevoked() {
        String kept = Fixtures.createKey(org, "svc", "kept");
        String gone = Fixtures.createKey(org, "svc", "gone");
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "svc", gone).then().statusCode(200);
        given().auth().oauth2(Tokens.member(org)).get(KEYS + "/{id}/events", org, "svc", gone).then().statusCode(200)
                .body("events.type", equalTo(List.of("KeyCreated", "KeyRevoked")))
                .body("events.data.id", everyItem(equalTo(gone)));
        given().auth().oauth2(Tokens.member(org)).get(KEYS + "/{id}/events", org, "svc", kept).then().statusCode(200)
                .body("events.type", equalTo(List.of("KeyCreated")));
    }

    @Test
    void errors_are403BeforeExistence_404ForMissing_and400ForBadCursorOrLimit() {
        given().auth().oauth2(Tokens.admin("someone-else")).get(ACCOUNT_EVENTS, org, "nobody").then().statusCode(403);
        given().auth().oauth2(Tokens.admin(org)).get(ACCOUNT_EVENTS, org, "nobody").then().statusCode(404)
                .body("message", equalTo("Service account not found"));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}/events", org, "nobody", "k").then().statusCode(404)
                .body("message", equalTo("Service account not found"));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}/events", org, "svc", "no-such-key").then().statusCode(404)
                .body("message", equalTo("API key not found"));
        for (String bad : new String[] {"-1", "x", "1.5"}) {
            given().auth().oauth2(Tokens.admin(org)).queryParam("after", bad).get(ACCOUNT_EVENTS, org, "svc").then()
                    .statusCode(400).body("errors.after", notNullValue());
        }
        for (String bad : new String[] {"0", "1001", "ten"}) {
            given().auth().oauth2(Tokens.admin(org)).queryParam("limit", bad).get(ACCOUNT_EVENTS, org, "svc").then()
                    .statusCode(400).body("errors.limit", notNullValue());
        }
    }
}
