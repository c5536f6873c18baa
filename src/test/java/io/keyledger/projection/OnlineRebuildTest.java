package io.keyledger.projection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.api.ProjectionRebuildRoute;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Management;
import io.keyledger.testing.ReadModelChecks;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rebuild builds new tables in batches while the service carries on: held open after its
 * second batch, GETs still answer from the old tables, writes still land and the relay still
 * publishes them, a second rebuild is refused; released, it catches up with those writes and
 * switches, and the rebuilt read model equals the live one, constraints and indexes by name.
 */
@QuarkusTest
class OnlineRebuildTest {

    static final String INDEXES = "SELECT tablename || ' ' || indexname || ' ' || indexdef AS line FROM pg_indexes"
            + " WHERE tablename IN ('service_accounts', 'api_keys', 'org_key_policies') ORDER BY 1";
    static final String CONSTRAINTS = "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line"
            + " FROM pg_constraint WHERE conrelid IN ('service_accounts'::regclass, 'api_keys'::regclass, 'org_key_policies'::regclass)"
            + " AND contype IN ('p', 'u', 'f', 'c') ORDER BY 1";
    static final String ACCOUNTS = "SELECT to_jsonb(s)::text AS line FROM service_accounts s ORDER BY org, name";
    static final String KEY_ROWS = "SELECT (to_jsonb(k) - 'next_notice_at')::text AS line FROM api_keys k ORDER BY id";
    static final String POLICIES = "SELECT to_jsonb(p)::text AS line FROM org_key_policies p ORDER BY org";

    @Inject
    Pool pool;

    @Inject
    Projector projector;

    @Inject
    ReadModelRebuild rebuild;

    private static String rebuildUrl() {
        return Management.root().replaceFirst("/q/?$", "") + ProjectionRebuildRoute.PATH;
    }

    @Test
    void getsAnswerAndTheRelayPublishesDuringARebuild_andTheRebuiltModelEqualsTheLiveOne() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        String kept = Fixtures.createKey(org, "svc", "kept");
        String doomed = Fixtures.createKey(org, "svc", "doomed");
        for (int i = 0; i < 30; i++) {
            Fixtures.createKey(org, "svc", "filler-" + i);
        }
        given().auth().oauth2(Tokens.admin(org)).contentType("application/json").body("{\"max_lifetime_days\":90}")
                .put(Api.KEY_POLICY, org).then().statusCode(200);
        List<String> indexes = ReadModelChecks.lines(pool, INDEXES);
        List<String> constraints = ReadModelChecks.lines(pool, CONSTRAINTS);

        CompletableFuture<Void> paused = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        // batches of 10: this org alone makes 35 events, so several batches whatever else the log holds; held after the
        // 2nd
        ReadModelRebuild.Pacing pacing = new ReadModelRebuild.Pacing(10, ReadModelRebuild.Pacing.SERVICE.switchBelow(),
                batch -> batch != 2
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().invoke(() -> paused.complete(null))
                                .chain(() -> Uni.createFrom().completionStage(release)));
        CompletableFuture<ReadModelRebuild.Report> rebuilt = rebuild.run(pacing).subscribeAsCompletionStage();
        paused.get(60, TimeUnit.SECONDS);

        // held open mid-way: reads answer, writes land and reach Kafka, a second rebuild is refused
        Api.admin(org).getKey("svc", kept).statusCode(200).body("id", equalTo(kept));
        String during = Fixtures.createKey(org, "svc", "during");
        Api.admin(org).revoke("svc", doomed).statusCode(200);
        KafkaTopics.awaitRecords("api-key-events", r -> r.value() != null && r.value().contains(during),
                seen -> !seen.isEmpty(), Duration.ofSeconds(60));
        Management.given().auth().oauth2(Tokens.operator()).post(rebuildUrl()).then().statusCode(409)
                .contentType("application/json").body("message", equalTo("A projection rebuild is already running"));
        assertTrue(!rebuilt.isDone(), "still held");
        List<String> accounts = ReadModelChecks.lines(pool, ACCOUNTS);
        List<String> keys = ReadModelChecks.lines(pool, KEY_ROWS);
        List<String> policies = ReadModelChecks.lines(pool, POLICIES);

        release.complete(null);
        ReadModelRebuild.Report report = rebuilt.get(120, TimeUnit.SECONDS);

        assertTrue(report.catchUpEvents() + report.switchEvents() >= 2,
                "the create and the revoke were caught up: " + report);
        assertTrue(report.batches() >= 3, report.toString());
        assertEquals(accounts, ReadModelChecks.lines(pool, ACCOUNTS));
        assertEquals(keys, ReadModelChecks.lines(pool, KEY_ROWS));
        assertEquals(policies, ReadModelChecks.lines(pool, POLICIES));
        assertEquals(indexes, ReadModelChecks.lines(pool, INDEXES), "indexes keep their names and definitions");
        assertEquals(constraints, ReadModelChecks.lines(pool, CONSTRAINTS),
                "constraints keep their names and definitions");
        Api.admin(org).getKey("svc", during).statusCode(200);
        Api.admin(org).getKey("svc", doomed).statusCode(404);
        Fixtures.createKey(org, "svc", "after");
    }

    @Test
    void theManagementRoute_rebuildsAndAnswersWithCounts_andRefusesOtherMethods() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String key = Fixtures.createKey(org, "svc", "k");
        List<String> keys = ReadModelChecks.lines(pool, KEY_ROWS);
        int events = Management.given().auth().oauth2(Tokens.operator()).post(rebuildUrl()).then().statusCode(200)
                .contentType("application/json").extract().path("events");
        assertTrue(events >= 2, "events " + events);
        assertEquals(keys, ReadModelChecks.lines(pool, KEY_ROWS));
        Api.admin(org).getKey("svc", key).statusCode(200);
        Management.given().get(rebuildUrl()).then().statusCode(405).header("Allow", "POST")
                .contentType("application/json").body("message", equalTo("Use POST to rebuild the projections"));
    }
}
