package io.keyledger.ledger;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What happened to an account and its keys, and who did it: read from the log, page by page. */
@QuarkusTest
class HistoryTest {

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("svc");
    }

    @Test
    void accountHistory_listsEveryEventOldestFirst_withActorRequestIdAndPublishedData() {
        String first = Fixtures.createKey(org, "svc", "one");
        Api.admin(org).header("X-Request-Id", "req-rotate").rotate("svc", first, "{}").statusCode(201);
        Api.admin(org).revoke("svc", first).statusCode(200);

        var page = Api.member(org).accountEvents("svc").statusCode(200).body("events.type",
                equalTo(List.of("ServiceAccountCreated", "KeyCreated", "KeyCreated", "KeyRotated", "KeyRevoked")))
                .body("events.stream_version", equalTo(List.of(1, 2, 3, 4, 5)))
                .body("events[0].schema_version", equalTo(1))
                .body("events[0].actor", equalTo(Map.of("type", "user", "subject", "admin-of-" + org)))
                .body("events[3].request_id", equalTo("req-rotate")).body("events[1].data.id", equalTo(first))
                .body("events[1].data", not(hasKey("key_hash"))).body("events[0].recorded_at", notNullValue())
                .body("events[0]", hasKey("hash")).body("events[0]", hasKey("prev_hash"))
                .body("next_after", nullValue()).extract();
        List<Integer> positions = page.path("events.position");
        assertEquals(positions.stream().sorted().toList(), positions, "oldest first");
        assertFalse(page.asString().contains("\"key\":"), "no key value anywhere");
    }

    @Test
    void accountHistory_pagesWithAfterAndLimit() {
        Fixtures.createKey(org, "svc", "a");
        Fixtures.createKey(org, "svc", "b");
        var first = Api.admin(org).query("limit", 2).accountEvents("svc").statusCode(200)
                .body("events.size()", equalTo(2)).body("next_after", notNullValue()).extract();
        long next = ((Number) first.path("next_after")).longValue();
        assertEquals(next, ((Number) first.path("events[1].position")).longValue());
        Api.admin(org).query("after", next).query("limit", 2).accountEvents("svc").statusCode(200)
                .body("events.size()", equalTo(1)).body("events[0].type", equalTo("KeyCreated"))
                .body("next_after", nullValue());
    }

    @Test
    void keyHistory_listsOnlyThatKeysEvents_evenOnceRevoked() {
        String kept = Fixtures.createKey(org, "svc", "kept");
        String gone = Fixtures.createKey(org, "svc", "gone");
        Api.admin(org).revoke("svc", gone).statusCode(200);
        Api.member(org).keyEvents("svc", gone).statusCode(200)
                .body("events.type", equalTo(List.of("KeyCreated", "KeyRevoked")))
                .body("events.data.id", everyItem(equalTo(gone)));
        Api.member(org).keyEvents("svc", kept).statusCode(200).body("events.type", equalTo(List.of("KeyCreated")));
    }

    @Test
    void errors_are403BeforeExistence_404ForMissing_and400ForBadCursorOrLimit() {
        Api.as(Tokens.admin("someone-else"), org).accountEvents("nobody").statusCode(403);
        Api.admin(org).accountEvents("nobody").statusCode(404).body("message", equalTo("Service account not found"));
        Api.admin(org).keyEvents("nobody", "k").statusCode(404).body("message", equalTo("Service account not found"));
        Api.admin(org).keyEvents("svc", "no-such-key").statusCode(404).body("message", equalTo("API key not found"));
        for (String bad : new String[]{"-1", "x", "1.5"}) {
            Api.admin(org).query("after", bad).accountEvents("svc").statusCode(400).body("errors.after",
                    notNullValue());
        }
        for (String bad : new String[]{"0", "1001", "ten"}) {
            Api.admin(org).query("limit", bad).accountEvents("svc").statusCode(400).body("errors.limit",
                    notNullValue());
        }
    }
}
