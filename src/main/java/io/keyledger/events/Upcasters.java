package io.keyledger.events;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The upcaster chain: each step turns one event type's JSON of version {@code n} into version
 * {@code n + 1}. Reading applies the steps in order, so an event stored at any old version is
 * read at the current one; stored rows are never rewritten (the log is append-only).
 */
public final class Upcasters {

    /** One step: {@code type} at {@code fromVersion} to {@code fromVersion + 1}. */
    public record Step(String type, int fromVersion, UnaryOperator<JsonObject> upcast) {
    }

    /** An event's JSON after upcasting, and the version it is now at. */
    public record Upcasted(String type, int schemaVersion, JsonObject data) {
    }

    private final Map<String, UnaryOperator<JsonObject>> steps = new HashMap<>();

    public Upcasters(List<Step> chain) {
        for (Step step : chain) {
            if (steps.put(key(step.type(), step.fromVersion()), step.upcast()) != null) {
                throw new IllegalArgumentException("two upcasters from " + step.type() + " v" + step.fromVersion());
            }
        }
    }

    /** Applies every step from {@code schemaVersion} on; a copy is upcast, never the caller's object. */
    public Upcasted upcast(String type, int schemaVersion, JsonObject data) {
        JsonObject current = data;
        int version = schemaVersion;
        UnaryOperator<JsonObject> step;
        while ((step = steps.get(key(type, version))) != null) {
            current = step.apply(current.copy());
            version++;
        }
        return new Upcasted(type, version, current);
    }

    private static String key(String type, int version) {
        return type + "@" + version;
    }
}
