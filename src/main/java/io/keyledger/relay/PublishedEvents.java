package io.keyledger.relay;

import io.keyledger.events.EventCodec;
import io.keyledger.format.UnixSeconds;
import io.keyledger.serviceaccount.DomainEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * The public, audited form of each event as it goes to Kafka, documented in
 * {@code src/main/asyncapi/keyledger.asyncapi.yaml}. It is derived from the stored form, never written a second
 * time: the same fields in the same order, less the fields its registry entry keeps stored-only (the key hash), with
 * each instant ({@code *_at}, stored as ISO-8601) as Unix seconds like the API's.
 */
public final class PublishedEvents {

    private PublishedEvents() {
    }

    /** CloudEvents {@code type} of an event: reverse-DNS, the stable type name and its schema version. */
    public static String cloudEventType(String type, int schemaVersion) {
        return EventCodec.cloudEventType(type, schemaVersion);
    }

    public static JsonObject value(DomainEvent event) {
        EventCodec.EventType<?> type = EventCodec.typeOf(event);
        JsonObject published = new JsonObject();
        for (Map.Entry<String, Object> field : EventCodec.encode(event).data()) {
            if (!type.storedOnly().contains(field.getKey())) {
                published.put(field.getKey(), publishedValue(field.getKey(), field.getValue()));
            }
        }
        return published;
    }

    private static Object publishedValue(String name, Object stored) {
        return name.endsWith("_at") && stored instanceof String iso ? UnixSeconds.of(Instant.parse(iso)) : stored;
    }
}
