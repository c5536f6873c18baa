package io.keyledger.keys;

import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentCreateTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Inject
    Pool pool;

    @Test
    void hundredParallelCreates_giveDistinctKeys_gaplessVersions_allReadable_thenTheCapHolds() throws Exception {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "busy");
        String token = Tokens.admin(org);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            posts.add(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"description\":\"parallel " + n + "\"}").post(KEYS, org, "busy"));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> f : clients.invokeAll(posts)) {
            responses.add(f.get());
        }
        clients.shutdown();

        responses.forEach(r -> assertEquals(201, r.statusCode(), r.asString()));
        var ids = new HashSet<String>();
        var keys = new HashSet<String>();
        responses.forEach(r -> {
            ids.add(r.path("id"));
            keys.add(r.path("key"));
        });
        assertEquals(100, ids.size());
        assertEquals(100, keys.size());

        var versions = pool.preparedQuery("SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("service-account:" + org + ":busy")).await().indefinitely()
                .stream().map(r -> r.getInteger("stream_version")).toList();
        assertEquals(IntStream.rangeClosed(1, 101).boxed().toList(), versions, "ServiceAccountCreated + 100 KeyCreated");

        for (String id : ids) {
            given().auth().oauth2(token).get(KEYS + "/{id}", org, "busy", id).then().statusCode(200);
        }

        // the default cap of 100 active keys per service account is now reached
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"description\":\"one too many\"}")
                .post(KEYS, org, "busy").then().statusCode(400)
                .body("message", containsString("maximum of 100 active API keys"));
    }
}
