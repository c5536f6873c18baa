package io.keyledger.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test profile that only overrides settings: a subclass says {@code public P() { super("key", "value", ...); }}.
 * Quarkus starts the service once per distinct profile class, so each profile stays its own class.
 */
public abstract class ConfigOverrides implements QuarkusTestProfile {

    private final Map<String, String> overrides;

    /** Alternating setting names and values. */
    protected ConfigOverrides(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "settings come in name/value pairs: " + String.join(", ", namesAndValues));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (map.put(namesAndValues[i], namesAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("setting given twice: " + namesAndValues[i]);
            }
        }
        this.overrides = Map.copyOf(map);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return overrides;
    }
}
