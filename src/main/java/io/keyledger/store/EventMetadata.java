package io.keyledger.store;

import io.vertx.core.json.JsonObject;

/** Who caused an event and in which request: stored beside every event as {@code metadata}. */
public record EventMetadata(String actor, String requestId) {

    public JsonObject toJson() {
        return new JsonObject().put("actor", actor).put("request_id", requestId);
    }
}
