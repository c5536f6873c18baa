package io.keyledger.projection;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.serviceaccount.DeleteServiceAccount;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.RevokeKey;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountCommand;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.serviceaccount.UpdateServiceAccount;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.WritePath;
import io.keyledger.testing.Api;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.ReadModelChecks;
import io.keyledger.testing.Tokens;
import io.keyledger.testing.WriteSideTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, finding 1: a rebuild must apply each stream in {@code stream_version} order. The log is read
 * in transaction-id order, and PostgreSQL does not keep a stream's order there: a writer that queued for
 * an account's row lock can hold an older transaction id than one that barged ahead of it. Writers race
 * on shared accounts with both cores busy; on top of whatever inversions that gives, the test makes
 * three for certain, the way PostgreSQL makes them: a transaction takes its id, another writer goes ahead
 * and commits, then the first one writes the next version (through the store's own append and the inline
 * projector, as a command does). On the old rebuild, the revoked keys came back and the accounts answered
 * 409 to every later command.
 */
@QuarkusTest
class RebuildStreamOrderTest extends WriteSideTest {

    private static final Logger LOG = Logger.getLogger(RebuildStreamOrderTest.class);
    static final String[] ACCOUNTS = {"alpha", "beta", "gamma"};

    static final String INVERSIONS = """
            SELECT count(*) AS n FROM events a JOIN events b ON b.stream_id = a.stream_id AND b.stream_version = a.stream_version + 1
             WHERE a.stream_id LIKE $1 AND b.transaction_id < a.transaction_id""";

    /** Keys the log revoked (KeyRevoked) whose row is not revoked. */
    static final String RESURRECTED = """
            SELECT count(*) AS n FROM api_keys k WHERE k.org = $1 AND k.revoked_at IS NULL AND EXISTS (
                   SELECT 1 FROM events e WHERE e.stream_id = 'service-account:' || k.org || ':' || k.service_account
                      AND e.event_type = 'KeyRevoked' AND e.data ->> 'id' = k.id)""";
    /** Accounts whose row holds a version below their stream's last: every later command would answer 409. */
    static final String BRICKED = """
            SELECT count(*) AS n FROM service_accounts s WHERE s.org = $1 AND s.stream_version <
                   (SELECT max(stream_version) FROM events e WHERE e.stream_id = 'service-account:' || s.org || ':' || s.name)""";

    @Inject
    EventStore store;

    @Inject
    io.keyledger.application.LedgerCheckpointer checkpointer;

    private final EventMetadata metadata = new EventMetadata("race", Map.of("type", "user", "subject", "race"), "race");

    /** A key made in the race, with its value so the test can present it. */
    private record Made(String account, String id, String value) {
    }

    @Test
    void rebuild_appliesEachStreamInVersionOrder_soRevokedKeysStayRefused_andAccountsTakeWrites() throws Exception {
        String org = "order-" + UUID.randomUUID().toString().substring(0, 8);
        for (String name : ACCOUNTS) {
            accounts.create(org, name, "race", Privilege.ADMIN, metadata).await().indefinitely();
        }
        List<Made> made = Collections.synchronizedList(new ArrayList<>());
        race(org, ACCOUNTS, made, true);

        // three inversions for certain: a key created ahead of its own revocation, a key created ahead of
        // its account's deletion, and one update ahead of another
        Made revokedBehind = invertedWrite(org, "alpha", () -> create(org, "alpha", made),
                now -> new RevokeKey(org, "alpha", made.get(made.size() - 1).id(), now, "race"));
        Made deletedBehind = invertedWrite(org, "beta", () -> create(org, "beta", made),
                now -> new DeleteServiceAccount(org, "beta", now, "race"));
        invertedWrite(org, "gamma", () -> {
            accounts.update(org, "gamma", "ahead", null, metadata).await().indefinitely();
            return null;
        }, now -> new UpdateServiceAccount(org, "gamma", "behind", null, now, "race"));

        long inversions = pool.preparedQuery(INVERSIONS).execute(Tuple.of("service-account:" + org + ":%")).await()
                .indefinitely().iterator().next().getLong("n");
        assertTrue(inversions >= 3, "the log holds inverted transaction ids: " + inversions);

        List<String> before = ReadModelChecks.tables(pool, org);
        projector.rebuild().await().indefinitely();

        long resurrected = count(RESURRECTED, org);
        long bricked = count(BRICKED, org);
        LOG.infof("after the rebuild: %d resurrected keys, %d accounts behind their stream", resurrected, bricked);
        assertEquals(0, resurrected, "keys the log revoked are unrevoked in the rebuilt table");
        assertEquals(0, bricked, "accounts whose rebuilt version is behind their stream");
        assertEquals(before, ReadModelChecks.tables(pool, org), "the rebuilt tables equal the ones projected inline");
        for (String name : ACCOUNTS) {
            assertEquals(ReadModelChecks.fold(pool, org, name), ReadModelChecks.snapshot(pool, readModel, org, name),
                    "account " + name + ": the rebuilt row is the fold of its stream");
        }
        String gateway = Tokens.withGroups("gateway", "keyledger:verifier");
        verify(gateway, revokedBehind.value()).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));
        verify(gateway, deletedBehind.value()).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));
        for (Made key : sample(made, revokedInLog(org), 8)) {
            verify(gateway, key.value()).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));
        }
        // every account still takes writes: the live ones answer 200, the deleted one can be created again
        for (String name : List.of("alpha", "gamma")) {
            Api.admin(org).patchAccount(name, "{\"description\":\"after\"}").statusCode(200);
            Api.admin(org).postKey(name, "{\"description\":\"after\"}").statusCode(201);
        }
        Api.admin(org).postAccount("{\"name\":\"beta\",\"description\":\"again\",\"privilege\":\"member\"}")
                .statusCode(201);
        LOG.infof("rebuild in stream order: %d inverted version pairs in the log (%d made on purpose), %d keys made",
                inversions, 3, made.size());

        // the other readers of the log hold up on the same inversions
        checkpointer.recordNow().await().indefinitely();
        String auditor = Tokens.auditor();
        Api.as(auditor).verifyLedger().statusCode(200).body("valid", equalTo(true));
        for (String name : ACCOUNTS) {
            List<Integer> versions = Api.admin(org).query("limit", 1000).accountEvents(name).statusCode(200).extract()
                    .jsonPath().getList("events.stream_version", Integer.class);
            assertEquals(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList(), versions,
                    "history of " + name + " in stream order");
        }
        long last = pool.query("SELECT max(position) AS p FROM events").execute().await().indefinitely().iterator()
                .next().getLong("p");
        KafkaTopics.awaitRecords("api-key-events",
                r -> Long.parseLong(KafkaTopics.header(r, "ce_ledgerposition")) >= last, seen -> !seen.isEmpty(),
                java.time.Duration.ofMinutes(2));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = io.keyledger.verify.KeyledgerVerify.run(
                new String[]{"--kafka", KafkaTopics.bootstrap(), "--topic", "api-key-events", "--public-key",
                        "http://localhost:" + io.restassured.RestAssured.port + "/api/v2/ledger/public-key"},
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, exit, "the standalone verifier takes the published topic, inversions and all: " + out + err);
    }

    @Test
    void aGapLeftAtTheEnd_failsTheRebuild_namingItsStream() {
        RebuildBatch.Versioned second = new RebuildBatch.Versioned("service-account:o:n", null, 2);
        RebuildBatch.BrokenStream gap = assertThrows(RebuildBatch.BrokenStream.class,
                () -> RebuildBatch.requireNoneWaiting(List.of(second)));
        assertTrue(gap.getMessage().contains("service-account:o:n has version 2"), gap.getMessage());
        RebuildBatch.requireNoneWaiting(List.of());
    }

    @Test
    void writersRacingOnOneAccount_commitInTheStreamsOrder() throws Exception {
        String org = "order-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(org, "shared", "race", Privilege.MEMBER, metadata).await().indefinitely();
        race(org, new String[]{"shared"}, Collections.synchronizedList(new ArrayList<>()), false);

        long versions = pool.preparedQuery("SELECT count(*) AS n FROM events WHERE stream_id = $1")
                .execute(Tuple.of(ServiceAccountNames.streamId(org, "shared"))).await().indefinitely().iterator().next()
                .getLong("n");
        long inversions = pool.preparedQuery(INVERSIONS).execute(Tuple.of("service-account:" + org + ":%")).await()
                .indefinitely().iterator().next().getLong("n");
        LOG.infof("one account, %d events from racing writers: %d inverted version pairs", versions, inversions);
        assertTrue(versions > 60, "the writers wrote: " + versions);
        assertEquals(0, inversions, "a stream's versions commit in their order, so the relay publishes them in it");

        // and the relay did publish them in it: the topic holds the stream's versions in ascending order
        String stream = ServiceAccountNames.streamId(org, "shared");
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records = KafkaTopics.awaitRecords(
                "api-key-events", r -> stream.equals(KafkaTopics.header(r, "ce_subject")),
                seen -> seen.size() >= versions, java.time.Duration.ofMinutes(2));
        Map<String, Integer> versionById = new java.util.HashMap<>();
        pool.preparedQuery("SELECT event_id::text AS id, stream_version FROM events WHERE stream_id = $1")
                .execute(Tuple.of(stream)).await().indefinitely()
                .forEach(row -> versionById.put(row.getString("id"), row.getInteger("stream_version")));
        List<Integer> published = records.stream().map(r -> versionById.get(KafkaTopics.header(r, "ce_id"))).toList();
        assertEquals(published.stream().sorted().toList(), published, "versions in the order the relay published them");
    }

    /** Writers on shared accounts (creates, revokes, updates, and maybe a delete), with both cores kept busy. */
    private void race(String org, String[] names, List<Made> made, boolean delete) throws Exception {
        AtomicBoolean racing = new AtomicBoolean(true);
        ExecutorService busy = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            busy.submit(() -> {
                long spin = 0;
                while (racing.get()) {
                    spin++;
                }
                return spin;
            });
        }
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Random random = new Random(20261202L + w);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        String name = names[random.nextInt(names.length)];
                        try {
                            switch (random.nextInt(4)) {
                                case 0, 1 -> create(org, name, made);
                                case 2 -> {
                                    Made victim = pick(random, made, name);
                                    if (victim != null) {
                                        keys.revoke(org, name, victim.id(), metadata).await().indefinitely();
                                    }
                                }
                                default -> accounts.update(org, name, "u" + i, null, metadata).await().indefinitely();
                            }
                        } catch (Rejection expected) {
                            // a key revoked twice, or an account deleted under a writer: fine
                        }
                    }
                    return null;
                }));
            }
            // a delete in the middle of the race, then the name is created again (its stream carries on)
            done.add(writers.submit(() -> {
                if (!delete) {
                    return null;
                }
                while (made.size() < 20) {
                    Thread.onSpinWait();
                }
                accounts.delete(org, "gamma", metadata).await().indefinitely();
                accounts.create(org, "gamma", "again", Privilege.ADMIN, metadata).await().indefinitely();
                return null;
            }));
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            racing.set(false);
            writers.shutdownNow();
            busy.shutdownNow();
        }
    }

    private Made create(String org, String name, List<Made> made) {
        io.keyledger.application.IssuedKey key = keys.create(org, name, "race", 0L, null, null, metadata).await()
                .indefinitely();
        Made m = new Made(name, key.id(), key.key());
        made.add(m);
        return m;
    }

    private static Made pick(Random random, List<Made> made, String account) {
        synchronized (made) {
            List<Made> mine = made.stream().filter(m -> m.account().equals(account)).toList();
            return mine.isEmpty() ? null : mine.get(random.nextInt(mine.size()));
        }
    }

    /**
     * One write with an older transaction id than the write {@code ahead} makes first: the transaction takes its
     * id, the other writer commits the next version, and then this one appends the version after it, as the
     * command path does (lock and load the state, decide, append, project), and commits.
     */
    private <T> T invertedWrite(String org, String name, java.util.concurrent.Callable<T> ahead,
            Function<Instant, ServiceAccountCommand> command) throws Exception {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Transaction tx = connection.begin().await().indefinitely();
            connection.query("SELECT pg_current_xact_id()").execute().await().indefinitely();
            T result = ahead.call();
            WritePath.Snapshot<ServiceAccount> snapshot = readModel.lockedState(org, name).load(connection).await()
                    .indefinitely();
            List<ServiceAccountEvent> events = ServiceAccountDecider.decide(
                    command.apply(Instant.now().truncatedTo(ChronoUnit.MICROS)), snapshot.state(),
                    io.keyledger.serviceaccount.Facts.cap(100));
            store.append(connection, ServiceAccountNames.streamId(org, name), snapshot.version(), events, metadata)
                    .await().indefinitely();
            projector.apply(connection, snapshot.state(), events, snapshot.version()).await().indefinitely();
            tx.commit().await().indefinitely();
            return result;
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private long count(String sql, String org) {
        return pool.preparedQuery(sql).execute(Tuple.of(org)).await().indefinitely().iterator().next().getLong("n");
    }

    private io.restassured.response.ValidatableResponse verify(String token, String key) {
        return Api.as(token).verify("{\"key\":\"" + key + "\"}").statusCode(200);
    }

    /** Ids of the keys the log says were revoked (by an admin or with their account). */
    private List<String> revokedInLog(String org) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery(
                "SELECT data ->> 'id' AS id FROM events WHERE stream_id LIKE $1 AND event_type = 'KeyRevoked'")
                .execute(Tuple.of("service-account:" + org + ":%")).await().indefinitely()
                .forEach(row -> ids.add(row.getString("id")));
        return ids;
    }

    private static List<Made> sample(List<Made> made, List<String> revoked, int at) {
        Map<String, Made> byId = new LinkedHashMap<>();
        synchronized (made) {
            made.forEach(m -> byId.put(m.id(), m));
        }
        return revoked.stream().map(byId::get).filter(java.util.Objects::nonNull).limit(at).toList();
    }
}
