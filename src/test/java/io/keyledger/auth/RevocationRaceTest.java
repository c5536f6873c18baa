package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The race an outside attack found: first uses of a new admin key in flight while the key is
 * revoked. A verification that read the database before the revoke committed must not leave
 * a usable answer in the cache. Whatever the interleaving, once DELETE has answered 200 the key
 * is refused: 401 for API-key authentication and REVOKED from /api-keys/verify, every iteration.
 */
@QuarkusTest
class RevocationRaceTest {

    static final int ITERATIONS = 40;
    static final int FIRST_USES = 12;

    static ExecutorService pool;

    @BeforeAll
    static void threads() {
        pool = Executors.newFixedThreadPool(FIRST_USES);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void revokedKey_isRefusedRightAfterTheDelete_evenWithFirstUsesInFlight() throws Exception {
        String org = "race-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = Tokens.admin(org);
        String gateway = Tokens.withGroups("race-gateway-" + UUID.randomUUID(), "keyledger:verifier");
        Api.as(admin, org).postAccount("{\"name\":\"ci-admin\",\"privilege\":\"admin\"}").statusCode(201);

        for (int i = 0; i < ITERATIONS; i++) {
            Api.Key created = Api.as(admin, org).createKey("ci-admin", "{\"description\":\"race\"}");
            String keyId = created.id();
            String key = created.value();

            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> uses = new ArrayList<>();
            for (int t = 0; t < FIRST_USES; t++) {
                uses.add(pool.submit(() -> {
                    go.await();
                    return Api.as(key, org).listKeys("ci-admin").extract().statusCode();
                }));
            }
            go.countDown();
            Api.as(admin, org).revoke("ci-admin", keyId).statusCode(200);

            // the revoke has answered: from now on the key is refused, whatever was in flight
            assertEquals(401, Api.as(key, org).listKeys("ci-admin").extract().statusCode(),
                    "iteration " + i + ": revoked key authenticated");
            assertEquals("REVOKED",
                    Api.as(gateway).verify("{\"key\":\"" + key + "\"}").statusCode(200).extract().path("code"),
                    "iteration " + i);
            for (Future<Integer> use : uses) {
                int status = use.get(60, TimeUnit.SECONDS);
                // each first use either beat the revoke or was refused: never anything else
                if (status != 200 && status != 401) {
                    throw new AssertionError("iteration " + i + ": first use answered " + status);
                }
            }
            // and again after every in-flight use has finished writing whatever it would cache
            assertEquals(401, Api.as(key, org).listKeys("ci-admin").extract().statusCode(),
                    "iteration " + i + ": revoked key authenticated after the in-flight uses finished");
            assertEquals("REVOKED",
                    Api.as(gateway).verify("{\"key\":\"" + key + "\"}").statusCode(200).extract().path("code"),
                    "iteration " + i);
        }
    }
}
