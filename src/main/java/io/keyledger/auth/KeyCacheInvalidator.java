package io.keyledger.auth;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Drops a key from this replica's verification cache when another replica revokes or rotates
 * it. Each replica reads the event topic in a consumer group of its own, from the latest
 * offset: this is a broadcast, not work sharing.
 */
@ApplicationScoped
public class KeyCacheInvalidator {

    private static final Logger LOG = Logger.getLogger(KeyCacheInvalidator.class);

    @Inject
    ApiKeyVerifier verifier;

    @Incoming("key-cache-invalidation")
    public void onEvent(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        if (type == null) {
            return;
        }
        String ceType = new String(type.value(), StandardCharsets.UTF_8);
        boolean keyChanged = ceType.contains("KeyRevoked") || ceType.contains("KeyRotated");
        boolean accountChanged = ceType.contains("ServiceAccountUpdated") || ceType.contains("ServiceAccountDeleted");
        if (keyChanged || accountChanged) {
            try {
                JsonObject value = new JsonObject(record.value());
                if (keyChanged) {
                    verifier.invalidate(value.getString("id"));
                } else {
                    verifier.invalidateAccount(value.getString("org"), value.getString("name"));
                }
            } catch (RuntimeException e) {
                LOG.warnf("unreadable key event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
    }
}
