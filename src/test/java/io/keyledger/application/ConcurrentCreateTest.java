package io.keyledger.application;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
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

    @Inject
    Pool pool;

    @Test
    void hundredParallelCreates_giveDistinctKeys_gaplessVersions_allReadable_thenTheCapHolds() throws Exception {
        String org = Fixtures.newOrgWithAccounts("busy");
        String token = Tokens.admin(org);
        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            posts.add(() -> Api.as(token, org).postKey("busy", "{\"description\":\"parallel " + n + "\"}").extract()
                    .response());
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

        var versions = pool
                .preparedQuery("SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("service-account:" + org + ":busy")).await().indefinitely().stream()
                .map(r -> r.getInteger("stream_version")).toList();
        assertEquals(IntStream.rangeClosed(1, 101).boxed().toList(), versions,
                "ServiceAccountCreated + 100 KeyCreated");

        for (String id : ids) {
            Api.as(token, org).getKey("busy", id).statusCode(200);
        }

        // the default cap of 100 active keys per service account is now reached
        Api.as(token, org).postKey("busy", "{\"description\":\"one too many\"}").statusCode(400).body("message",
                containsString("maximum of 100 active API keys"));
    }
}
