package io.keyledger.application;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rotation keeps the replaced key active through its grace period, so it adds an active key: at the cap
 * (keyledger.keys.max-active-per-service-account, 100) it is refused exactly like a create, and appends nothing.
 * A key that has expired but was never revoked does not count, for a rotation as for a create.
 */
@QuarkusTest
class RotationCapTest {

    static final String AT_THE_CAP = "Service account already has the maximum of 100 active API keys";

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    /** Creates keys in parallel (the bodies given), returns their ids. */
    private static List<String> createKeys(String org, String name, List<String> bodies) throws Exception {
        String token = Tokens.admin(org);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Response>> posts = new ArrayList<>();
            for (String body : bodies) {
                posts.add(() -> Api.as(token, org).postKey(name, body).extract().response());
            }
            List<String> ids = new ArrayList<>();
            for (Future<Response> f : clients.invokeAll(posts)) {
                Response r = f.get();
                assertEquals(201, r.statusCode(), r.asString());
                ids.add(r.path("id"));
            }
            return ids;
        } finally {
            clients.shutdown();
        }
    }

    private int streamVersion(String org, String name) {
        return pool.preparedQuery("SELECT coalesce(max(stream_version), 0) AS v FROM events WHERE stream_id = $1")
                .execute(Tuple.of("service-account:" + org + ":" + name)).await().indefinitely().iterator().next()
                .getInteger("v");
    }

    private static Response rotate(String org, String name, String keyId) {
        return Api.admin(org).rotate(name, keyId, "{}").extract().response();
    }

    @Test
    void rotate_returns400WithTheCreatesMessage_atTheCap_andAppendsNothing_untilAKeyIsRevoked() throws Exception {
        String org = Fixtures.newOrgWithAccounts("full");
        List<String> ids = createKeys(org, "full", java.util.Collections.nCopies(100, "{\"description\":\"k\"}"));
        Api.admin(org).postKey("full", "{\"description\":\"one too many\"}").statusCode(400)
                .contentType(ContentType.JSON).body("message", equalTo(AT_THE_CAP));
        int version = streamVersion(org, "full");

        rotate(org, "full", ids.get(0)).then().statusCode(400).contentType(ContentType.JSON).body("message",
                equalTo(AT_THE_CAP));

        assertEquals(version, streamVersion(org, "full"), "a refused rotation appends nothing");
        Api.admin(org).listKeys("full").statusCode(200).body("size()", equalTo(100));
        Api.admin(org).revoke("full", ids.get(1)).statusCode(200);
        rotate(org, "full", ids.get(0)).then().statusCode(201);
        Api.admin(org).listKeys("full").statusCode(200).body("size()", equalTo(100));
        rotate(org, "full", ids.get(2)).then().statusCode(400).body("message", equalTo(AT_THE_CAP));
    }

    @Test
    void rotate_atTheCapOfUnrevokedKeys_succeeds_whenOneOfThemHasExpired() throws Exception {
        String org = Fixtures.newOrgWithAccounts("aging");
        long soon = Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond();
        List<String> bodies = new ArrayList<>(java.util.Collections.nCopies(99, "{\"description\":\"k\"}"));
        bodies.add("{\"description\":\"short-lived\",\"expires_at\":" + soon + "}");
        List<String> ids = createKeys(org, "aging", bodies);

        ShiftableClock.shift(Duration.ofHours(1)); // the short-lived key has expired: 99 of the 100 unrevoked keys are active
        rotate(org, "aging", ids.get(0)).then().statusCode(201);
        // now 100 active: the replaced key through its grace period, the new one, and 98 others
        rotate(org, "aging", ids.get(1)).then().statusCode(400).body("message", equalTo(AT_THE_CAP));
    }
}
