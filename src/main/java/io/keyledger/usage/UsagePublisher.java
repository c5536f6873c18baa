package io.keyledger.usage;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.format.UnixSeconds;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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

    /** A key's latest use since the last flush, and the request it was for (null parts when unknown). */
    private record Use(Instant usedAt, RequestLine request) {
        Use later(Use other) {
            return usedAt.isAfter(other.usedAt) ? this : other;
        }
    }

    private final Map<String, Use> pending = new ConcurrentHashMap<>();

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
        recordUse(keyId, usedAt, null);
    }

    /** The same, with the request the key was used for (a gateway's original request, or the API call itself). */
    public void recordUse(String keyId, Instant usedAt, RequestLine request) {
        pending.merge(keyId, new Use(usedAt, request), Use::later);
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
            Use use = pending.remove(keyId);
            if (use == null) {
                continue;
            }
            JsonObject record = new JsonObject().put("key_id", keyId).put("used_at", UnixSeconds.of(use.usedAt()));
            if (use.request() != null && use.request().method() != null) {
                record.put("method", use.request().method());
            }
            if (use.request() != null && use.request().uri() != null) {
                record.put("uri", use.request().uri());
            }
            String value = record.encode();
            out.sendMessage(
                    Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(keyId).build()))
                    .subscribe().with(ok -> {
                    }, failure -> {
                        // put it back: a later flush retries, and the consumer's max() makes a re-send harmless
                        pending.merge(keyId, use, Use::later);
                        LOG.warnf("could not publish usage of key %s: %s", keyId, failure.getMessage());
                    });
        }
    }
}
