package io.keyledger.usage;

import io.keyledger.config.KeyledgerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.keyledger.format.UnixSeconds;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes this service's own API-key authentications to the authentication-usage topic, in
 * the format {@link UsageConsumer} reads. Coalesced: a busy key yields one record per publish
 * interval, not one per request, and nothing is written to PostgreSQL on the request path.
 */
@ApplicationScoped
public class UsagePublisher {

    private static final Logger LOG = Logger.getLogger(UsagePublisher.class);

    private final Map<String, Instant> pending = new ConcurrentHashMap<>();

    @Inject
    @Channel("usage-out")
    MutinyEmitter<String> out;

    @Inject
    KeyledgerConfig config;

    @Inject
    Vertx vertx;

    private long timer = -1;

    /** Remembers the latest use of a key until the next flush. Cheap and non-blocking. */
    public void recordUse(String keyId, Instant usedAt) {
        pending.merge(keyId, usedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(config.usage().publishInterval().toMillis(), id -> flush());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        flush();
    }

    /** Sends one record per key seen since the last flush. */
    void flush() {
        for (String keyId : pending.keySet()) {
            Instant usedAt = pending.remove(keyId);
            if (usedAt == null) {
                continue;
            }
            String value = new JsonObject().put("key_id", keyId)
                    .put("used_at", UnixSeconds.of(usedAt))
                    .encode();
            out.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(keyId).build()))
                    .subscribe().with(ok -> { }, failure -> {
                        // put it back: a later flush retries, and the consumer's max() makes a re-send harmless
                        recordUse(keyId, usedAt);
                        LOG.warnf("could not publish usage of key %s: %s", keyId, failure.getMessage());
                    });
        }
    }
}
