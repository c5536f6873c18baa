package io.keyledger.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Who caused an event and in which request, stored beside every event as {@code metadata}:
 * {@code {"actor": {"type": "user", "subject": ...} | {"type": "api_key", "key_id": ..., "service_account": ...},
 * "request_id": ...}}. {@code actorName} is what the events' own {@code *_by} fields say.
 */
public record EventMetadata(String actorName, Map<String, String> actor, String requestId) {

    public EventMetadata {
        actor = Map.copyOf(actor);
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
        return new JsonObject().put("actor", typed).put("request_id", requestId);
    }
}
