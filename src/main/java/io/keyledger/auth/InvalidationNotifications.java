package io.keyledger.auth;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The direct path for cross-replica cache eviction: PostgreSQL LISTEN/NOTIFY on channel
 * {@value #CHANNEL}. A replica that revoked or rotated a key, or changed an account, notifies
 * ({@link CacheEviction}); every replica LISTENs here on one dedicated connection and retires
 * the cached verifications at once, without waiting for the relay and Kafka.
 *
 * <p>This path is best effort. NOTIFY is not durable: a replica whose listening connection is
 * down (PostgreSQL restarting, network) misses what was sent meanwhile. The Kafka path
 * ({@link KeyEventListener}) stays the backstop: it reads every revocation, rotation and account
 * change from {@code api-key-events}, including those published while this connection was down
 * (it keeps its position, and on start replays a little more than the cache TTL), and the cache
 * TTL bounds anything both missed. The connection reconnects on its own after it is lost and
 * LISTENs again.
 *
 * <p>A replica also receives its own notifications. They are not filtered out: invalidating
 * again is idempotent (a newer stamp; at most one extra database read for that key).
 *
 * <p>Payloads are small and carry no secret: {@code key <id>} or {@code account <org> <name>}.
 */
@ApplicationScoped
public class InvalidationNotifications {

    static final String CHANNEL = "keyledger_invalidations";
    /** Shown in {@code pg_stat_activity}, so the listening connection can be told apart. */
    static final String APPLICATION_NAME = "keyledger-invalidations";

    private static final Logger LOG = Logger.getLogger(InvalidationNotifications.class);
    private static final Pattern KEY = Pattern.compile("key ([A-Za-z0-9-]{1,64})");
    private static final Pattern ACCOUNT = Pattern
            .compile("account ([a-z0-9][a-z0-9_-]{0,63}) ([a-z0-9][a-z0-9_-]{0,63})");
    private static final long RECONNECT_DELAY_MS = 500;

    @Inject
    Vertx vertx;

    @Inject
    ApiKeyVerifier verifier;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> reactiveUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;
    private volatile boolean lost;

    static String keyPayload(String keyId) {
        return "key " + keyId;
    }

    static String accountPayload(String org, String serviceAccount) {
        return "account " + org + " " + serviceAccount;
    }

    void start(@Observes StartupEvent startup) {
        Optional<PgConnectOptions> options = connectOptions();
        if (options.isEmpty()) {
            LOG.warn("no reactive datasource URL: cross-replica invalidation goes through Kafka only");
            return;
        }
        subscribe(options.get());
    }

    /**
     * Once connected, a lost connection is retried by the subscriber itself, forever (its policy's count
     * restarts at each loss), and it LISTENs again. A failed first connection is not covered by that policy
     * (and the subscriber will not connect twice), so it is retried here with a fresh subscriber.
     */
    private void subscribe(PgConnectOptions options) {
        PgSubscriber sub = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> {
            if (retries == 0 && !stopped) {
                lost = true;
                LOG.warn("invalidation LISTEN connection lost; reconnecting (Kafka covers the gap)");
            }
            return stopped ? -1L : RECONNECT_DELAY_MS;
        });
        // called each time the LISTEN succeeds, the first time and after every reconnection
        sub.channel(CHANNEL).subscribeHandler(v -> {
            if (lost) {
                lost = false;
                LOG.info("invalidation LISTEN connection back");
            }
        }).handler(this::apply);
        subscriber = sub;
        if (stopped) {
            return;
        }
        sub.connect().onComplete(result -> {
            if (result.succeeded()) {
                LOG.debugf("listening for cache invalidations on %s", CHANNEL);
            } else {
                sub.close();
                if (!stopped) {
                    LOG.warnf("invalidation LISTEN connection failed, retrying: %s", result.cause().getMessage());
                    vertx.setTimer(RECONNECT_DELAY_MS, id -> subscribe(options));
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        PgSubscriber sub = subscriber;
        if (sub != null) {
            sub.close();
        }
    }

    /** Runs on the connection's event loop: only cache work, no I/O. */
    void apply(String payload) {
        if (payload == null) {
            return;
        }
        Matcher key = KEY.matcher(payload);
        if (key.matches()) {
            verifier.invalidate(key.group(1));
            return;
        }
        Matcher account = ACCOUNT.matcher(payload);
        if (account.matches()) {
            verifier.invalidateAccount(account.group(1), account.group(2));
            return;
        }
        LOG.warnf("ignored an unreadable invalidation notification (%d characters)", payload.length());
    }

    private Optional<PgConnectOptions> connectOptions() {
        Optional<String> url = reactiveUrl.map(String::trim).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String first = url.get().split(",")[0].trim();
        if (first.startsWith("vertx-reactive:")) {
            first = first.substring("vertx-reactive:".length());
        }
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        options.addProperty("application_name", APPLICATION_NAME);
        return Optional.of(options);
    }
}
