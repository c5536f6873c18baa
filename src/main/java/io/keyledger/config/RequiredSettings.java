package io.keyledger.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Fails the start, naming the environment variable, when a setting production cannot run
 * without is missing. Some of these have no default anywhere and would otherwise surface as
 * a vague failure on the first request (an unverifiable JWT, a pool pointing at localhost).
 */
@ApplicationScoped
public class RequiredSettings {

    /** A required setting: its property name and the environment variable a deployer sets. */
    record Setting(String property, String environmentVariable) {
    }

    static final List<Setting> REQUIRED = List.of(
            new Setting("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL"),
            new Setting("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL"),
            new Setting("quarkus.datasource.username", "QUARKUS_DATASOURCE_USERNAME"),
            new Setting("mp.jwt.verify.issuer", "MP_JWT_VERIFY_ISSUER"));

    /** Runs before every other start-up observer (the relay, @Startup beans), so the first error is this one. */
    void check(@Observes @Priority(1) StartupEvent startup) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        List<String> problems = problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("keyledger cannot start: " + String.join("; ", problems));
        }
    }

    /** Everything wrong with the configuration, as messages naming the environment variable to set. */
    static List<String> problems(Function<String, Optional<String>> lookup) {
        List<String> problems = new ArrayList<>();
        for (Setting setting : REQUIRED) {
            if (lookup.apply(setting.property()).filter(v -> !v.isBlank()).isEmpty()) {
                problems.add(setting.environmentVariable() + " is required (" + setting.property() + ")");
            }
        }
        Optional<String> keyLocation = lookup.apply("mp.jwt.verify.publickey.location").filter(v -> !v.isBlank());
        Optional<String> inlineKey = lookup.apply("mp.jwt.verify.publickey").filter(v -> !v.isBlank());
        if (keyLocation.isEmpty() && inlineKey.isEmpty()) {
            problems.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION is required (mp.jwt.verify.publickey.location)");
        }
        if (lookup.apply("keyledger.ledger.signing-key-location").filter(l -> l.contains("dev-only")).isPresent()) {
            problems.add(
                    "KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION points at the development-only key; production never signs with it");
        }
        if (keyLocation.filter(l -> l.contains("dev-only")).isPresent()) {
            problems.add(
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION points at the development-only key; production never trusts it");
        }
        problems.addAll(PepperSettings.problems(lookup));
        return problems;
    }
}
