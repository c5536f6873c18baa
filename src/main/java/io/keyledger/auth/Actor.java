package io.keyledger.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who caused a change, as recorded in each event's metadata. A JWT user and an API key are
 * different types, so a token whose {@code sub} imitates a service account is still a user.
 */
public sealed interface Actor {

    /** The name recorded in the events' {@code *_by} fields. */
    String name();

    /** The typed form stored in event metadata: {@code {"type": "user", ...}} or {@code {"type": "api_key", ...}}. */
    Map<String, String> toMetadata();

    /** A person or system authenticated by a JWT; {@code subject} is its {@code sub}. */
    record User(String subject) implements Actor {
        @Override
        public String name() {
            return subject;
        }

        @Override
        public Map<String, String> toMetadata() {
            Map<String, String> actor = new LinkedHashMap<>();
            actor.put("type", "user");
            actor.put("subject", subject);
            return actor;
        }
    }

    /** The holder of the one-time bootstrap token ({@link BootstrapToken}), which names no person. */
    record Bootstrap() implements Actor {
        @Override
        public String name() {
            return "bootstrap";
        }

        @Override
        public Map<String, String> toMetadata() {
            return Map.of("type", "bootstrap");
        }
    }

    /** A service account authenticated by one of its API keys. */
    record ApiKey(String keyId, String org, String serviceAccount) implements Actor {
        @Override
        public String name() {
            return "service-account:" + org + ":" + serviceAccount;
        }

        @Override
        public Map<String, String> toMetadata() {
            Map<String, String> actor = new LinkedHashMap<>();
            actor.put("type", "api_key");
            actor.put("key_id", keyId);
            actor.put("service_account", serviceAccount);
            return actor;
        }
    }
}
