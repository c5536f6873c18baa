package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.projection.Projector;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The sequence-gap problem: identity values are taken at insert time, but rows become visible
 * at commit, so a reader of "position > checkpoint" can pass over a row that commits late.
 */
@QuarkusTest
class CommitOrderGapTest {

    @Inject
    Pool pool;

    @Inject
    EventStore store;

    @Inject
    EventLog log;

    @Inject
    Projector projector;

    private Uni<Void> appendNewAccount(SqlConnection tx, String org) {
        ServiceAccountEvent event = new ServiceAccountCreated(org, "gap", "", Privilege.READER, Instant.now(), "t");
        return store
                .append(tx, "service-account:" + org + ":gap", 0, List.of(event),
                        new EventMetadata("t", java.util.Map.of("type", "user", "subject", "t"), "gap"))
                .chain(() -> projector.apply(tx, ServiceAccount.initial(), List.of(event), 0));
    }

    private List<StoredEvent> readAfter(String txid, long position) {
        return log.readCommittedAfter(pool, txid, position, 10_000).await().indefinitely();
    }

    private record Checkpoint(String txid, long position) {
    }

    private Checkpoint head() {
        var row = pool.query(
                "SELECT coalesce(max(transaction_id)::text, '0') AS t, coalesce(max(position), 0) AS p FROM events")
                .execute().await().indefinitely().iterator().next();
        return new Checkpoint(row.getString("t"), row.getLong("p"));
    }

    @Test
    void aRowThatCommitsLate_isNotSkipped() {
        Checkpoint start = head();
        String early = Fixtures.newOrg();
        String late = Fixtures.newOrg();
        SqlConnection slow = pool.getConnection().await().indefinitely();
        try {
            var slowTx = slow.begin().await().indefinitely();
            appendNewAccount(slow, late).await().indefinitely(); // takes the smaller position, not committed
            pool.withTransaction(tx -> appendNewAccount(tx, early)).await().indefinitely(); // larger position, committed

            long latePosition = slow
                    .query("SELECT position AS p FROM events WHERE stream_id = 'service-account:" + late + ":gap'")
                    .execute().await().indefinitely().iterator().next().getLong("p");
            List<StoredEvent> whileOpen = readAfter(start.txid(), start.position());
            assertTrue(whileOpen.stream().noneMatch(e -> e.streamId().contains(early)),
                    "an event behind a still-open transaction must wait, or the checkpoint would pass the late one");

            // what a naive reader sees: the early event is visible with a position above the late one's
            long naiveVisible = pool.query("SELECT count(*) AS n FROM events WHERE stream_id LIKE '%" + early
                    + "%' AND position > " + latePosition).execute().await().indefinitely().iterator().next()
                    .getLong("n");
            assertEquals(1, naiveVisible, "the gap is real: a position-only reader would checkpoint past the late row");

            slowTx.commit().await().indefinitely();
        } finally {
            slow.close().await().indefinitely();
        }
        List<String> streams = readAfter(start.txid(), start.position()).stream().map(StoredEvent::streamId)
                .filter(s -> s.contains(early) || s.contains(late)).toList();
        assertEquals(List.of("service-account:" + late + ":gap", "service-account:" + early + ":gap"), streams,
                "both, in transaction order");
    }

    @Test
    void aFollowerOfConcurrentAppends_seesEveryEventExactlyOnce() {
        Checkpoint start = head();
        int writers = 60;
        Set<String> orgs = new HashSet<>();
        List<Uni<Void>> appends = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String org = "gap-" + UUID.randomUUID().toString().substring(0, 8);
            orgs.add(org);
            // commit after a random delay, so commit order differs from position order
            appends.add(pool.withTransaction(tx -> appendNewAccount(tx, org).chain(() -> tx
                    .query("SELECT pg_sleep(" + ThreadLocalRandom.current().nextInt(0, 40) / 1000.0 + ")").execute())
                    .replaceWithVoid()));
        }
        Uni<Void> all = Uni.join().all(appends).andFailFast().replaceWithVoid();

        List<String> seen = new ArrayList<>();
        String txid = start.txid();
        long position = start.position();
        var writing = all.subscribeAsCompletionStage();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean finished = writing.isDone();
            for (StoredEvent e : readAfter(txid, position)) {
                seen.add(e.streamId());
                txid = e.transactionId();
                position = e.position();
            }
            if (finished && seen.stream().filter(s -> orgs.stream().anyMatch(s::contains)).count() >= writers) {
                break;
            }
        }
        writing.toCompletableFuture().join();
        List<String> ours = seen.stream().filter(s -> orgs.stream().anyMatch(s::contains)).toList();
        assertEquals(writers, ours.size(), "every event once");
        assertEquals(writers, new HashSet<>(ours).size(), "no event twice");
    }
}
