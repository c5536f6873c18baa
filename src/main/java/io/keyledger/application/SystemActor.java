package io.keyledger.application;

import io.keyledger.store.EventMetadata;
import java.util.Map;
import java.util.UUID;

/**
 * The actor of the events a background job records on its own, {@code {"type": "system", "name": ...}}, with a fresh
 * request id per run.
 */
record SystemActor(String name) {

    Map<String, String> actor() {
        return Map.of("type", "system", "name", name);
    }

    /** Metadata for one run: request id {@code <requestPrefix>-<random UUID>}. */
    EventMetadata metadata(String requestPrefix) {
        return new EventMetadata(name, actor(), requestPrefix + "-" + UUID.randomUUID());
    }
}
