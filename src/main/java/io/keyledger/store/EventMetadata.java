package io.keyledger.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Who caused an event and in which request, stored beside every event as {@code metadata}:
 * {@code {"actor": {"type": "user", "subject": ...} | {"type": "api_key", "key_id": ..., "service_account": ...},
 * "request_id": ..., "traceparent": ...}}. {@code actorName} is what the events' own {@code *_by} fields say.
 * {@code traceparent} is the W3C trace context of the request (null when it had none); it is written only when
 * present, and the relay sends it on the Kafka record as the CloudEvents {@code ce_traceparent} header.
 */
public record EventMetadata(String actorName, Map<String, String> actor, String requestId, String traceparent) {

    public EventMetadata {
        actor = Map.copyOf(actor);
    }

    /** Metadata without trace context. */
    public EventMetadata(String actorName, Map<String, String> actor, String requestId) {
        this(actorName, actor, requestId, null);
    }

    public JsonObject toJson() {
        JsonObject typed = new JsonObject();
        // type first, for people reading the rows
        typed.put("type", actor.get("type"));
        actor.forEach((name, value) -> {
            if (!name.equals("type")) {
                typed.put(name, value);
            }
        });
        JsonObject json = new JsonObject().put("actor", typed).put("request_id", requestId);
        if (traceparent != null) {
            json.put("traceparent", traceparent);
        }
        return json;
    }
}
