package io.keyledger.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The direct cross-replica path: PostgreSQL NOTIFY on {@code keyledger_invalidations}.
 *
 * <p>Receiving: the key is not revoked anywhere and no event is written, so neither the Kafka
 * listener nor the cache TTL (60 s) can retire the cached verification within the wait; only the
 * notification, issued here by raw SQL as another replica would, can. Sending: a separate LISTEN
 * connection, opened by the test, sees what revoke, rotate and account changes notify.
 */
@QuarkusTest
class InvalidationNotificationsTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    Vertx vertx;

    @Test
    void notificationFromElsewhere_retiresCachedKey() {
        awaitListening(Optional.empty());
        String org = Fixtures.newOrgWithAccounts("edge");
        String key = cachedKeyRetiredByItsNotification(org);
        Api.as(key, org).listKeys("edge").statusCode(200); // still valid, read again
    }

    @Test
    void accountNotificationFromElsewhere_retiresItsCachedKeys() {
        awaitListening(Optional.empty());
        String org = Fixtures.newOrgWithAccounts("edge", "other");
        String key = cachedKey(org, "edge").key();
        String otherKey = cachedKey(org, "other").key();

        notify("account " + org + " edge");

        awaitRetired(key);
        assertTrue(verifier.validFromCache(verifier.present(otherKey)) != null, "another account's key stays cached");
    }

    @Test
    void listeningConnectionKilled_reconnectsAndListensAgain() {
        int before = awaitListening(Optional.empty());
        pool.query("SELECT pg_terminate_backend(" + before + ")").execute().await().atMost(DEADLINE);
        awaitListening(Optional.of(before));

        cachedKeyRetiredByItsNotification(Fixtures.newOrgWithAccounts("edge"));
    }

    @Test
    void revokeRotateAndAccountChanges_notifyOtherReplicas() throws Exception {
        String org = Fixtures.newOrgWithAccounts("edge");
        String revoked = Fixtures.createKey(org, "edge", "to revoke");
        String rotated = Fixtures.createKey(org, "edge", "to rotate");
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        PgConnection listener = listen(seen);
        try {
            Api.admin(org).revoke("edge", revoked).statusCode(200);
            Api.admin(org).rotate("edge", rotated, "{}").statusCode(201);
            Api.admin(org).patchAccount("edge", "{\"description\":\"changed\"}").statusCode(200);

            await().atMost(DEADLINE).untilAsserted(() -> {
                assertTrue(seen.contains("key " + revoked), "revocation notified: " + seen);
                assertTrue(seen.contains("key " + rotated), "rotation notified: " + seen);
                assertTrue(seen.contains("account " + org + " edge"), "account update notified: " + seen);
            });
        } finally {
            listener.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    record Issued(String id, String key) {
    }

    /** A key authenticated once, so its verification is in this replica's cache. */
    private Issued cachedKey(String org, String name) {
        Api.Key created = Api.admin(org).createKey(name, "{\"description\":\"cached\"}");
        Issued issued = new Issued(created.id(), created.value());
        Api.as(issued.key(), org).listKeys(name).statusCode(200);
        await().atMost(DEADLINE).until(() -> verifier.validFromCache(verifier.present(issued.key())) != null);
        return issued;
    }

    /** A key of account edge, cached here, then named by a notification as another replica sends it: retired from the cache. */
    private String cachedKeyRetiredByItsNotification(String org) {
        Issued issued = cachedKey(org, "edge");
        notify("key " + issued.id());
        awaitRetired(issued.key());
        return issued.key();
    }

    /** Waits until this replica no longer answers the key from its cache. */
    private void awaitRetired(String key) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .until(() -> verifier.validFromCache(verifier.present(key)) == null);
    }

    private void notify(String payload) {
        pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of("keyledger_invalidations", payload)).await()
                .atMost(DEADLINE);
    }

    /** Waits until this application's listening connection has issued its LISTEN; returns its backend pid. */
    private int awaitListening(Optional<Integer> notPid) {
        return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Row row : pool
                    .preparedQuery(
                            "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'")
                    .execute(Tuple.of(InvalidationNotifications.APPLICATION_NAME)).await().atMost(DEADLINE)) {
                int pid = row.getInteger("pid");
                if (notPid.isEmpty() || notPid.get() != pid) {
                    return Optional.of(pid);
                }
            }
            return Optional.<Integer>empty();
        }, Optional::isPresent).get();
    }

    private PgConnection listen(ConcurrentLinkedQueue<String> seen) throws Exception {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions
                .fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class))
                .setPassword(config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        PgConnection connection = PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture().get(30,
                TimeUnit.SECONDS);
        connection.notificationHandler(n -> {
            if ("keyledger_invalidations".equals(n.getChannel())) {
                seen.add(n.getPayload());
            }
        });
        connection.query("LISTEN keyledger_invalidations").execute().toCompletionStage().toCompletableFuture().get(30,
                TimeUnit.SECONDS);
        return connection;
    }
}
