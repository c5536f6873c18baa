package io.keyledger.auth;

import io.keyledger.serviceaccount.KeyDisabled;
import io.keyledger.serviceaccount.KeyEnabled;
import io.keyledger.serviceaccount.KeyEvent;
import io.keyledger.serviceaccount.KeyRehashed;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Retires cached verifications on this replica when a command here changed a key or an account.
 * Observed synchronously, after the commit and before the request answers. Other replicas are
 * told at once through PostgreSQL NOTIFY ({@link InvalidationNotifications}), and in any case
 * through {@code api-key-events} ({@link KeyEventListener}).
 *
 * <p>The NOTIFY is sent just after the commit, on its own, rather than inside the write
 * transaction. Inside would make it atomic with the commit, but PostgreSQL serialises the commits
 * of transactions that issued a NOTIFY (one global lock, taken before the commit and held until
 * it is durable), so every revoke, rotate and account change would wait for the others' commit
 * flushes while holding its row lock; and auth would have to reach into the store's write path. After the commit, the only loss is a crash or an outage between commit and NOTIFY, and
 * the Kafka path, fed from the committed event, covers exactly that. The notification is sent
 * without waiting for it (the request does not wait), and a failure is only logged.
 */
@ApplicationScoped
public class CacheEviction {

    private static final Logger LOG = Logger.getLogger(CacheEviction.class);
    private static final String NOTIFY = "SELECT pg_notify($1, $2)";

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    Pool pool;

    void onChange(@Observes ServiceAccountEvent event) {
        if (event instanceof KeyRevoked e) {
            verifier.invalidate(e.keyId());
            notifyOthers(InvalidationNotifications.keyPayload(e.keyId()));
        } else if (event instanceof KeyRotated || event instanceof KeyDisabled || event instanceof KeyEnabled) {
            // a rotation starts the grace period; a quarantine begins or ends: every replica must read the key again
            String keyId = ((KeyEvent) event).keyId();
            verifier.invalidate(keyId);
            notifyOthers(InvalidationNotifications.keyPayload(keyId));
        } else if (event instanceof KeyRehashed e) {
            // its row changed here; no other replica needs telling: what they cache is keyed by the current
            // pepper's hash, which found nothing before this event (and finds the re-hashed row after it)
            verifier.invalidate(e.keyId());
        } else if (event instanceof ServiceAccountUpdated || event instanceof ServiceAccountDeleted) {
            verifier.invalidateAccount(event.org(), event.serviceAccount());
            notifyOthers(InvalidationNotifications.accountPayload(event.org(), event.serviceAccount()));
        }
    }

    private void notifyOthers(String payload) {
        pool.preparedQuery(NOTIFY).execute(Tuple.of(InvalidationNotifications.CHANNEL, payload)).subscribe()
                .with(rows -> {
                }, failure -> LOG.warnf("invalidation NOTIFY not sent (other replicas learn it through Kafka): %s",
                        failure.getMessage()));
    }
}
