package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.config.PepperSettings;
import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.Peppers;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Optional;

/** One key format and one set of peppers for the whole service, built from configuration: minting and verifying must agree. */
public class KeyCryptoProducer {

    @Produces
    @Singleton
    ApiKeyFormat apiKeyFormat(KeyledgerConfig config) {
        return new ApiKeyFormat(config.keys().prefix(), new SecureRandom());
    }

    @Produces
    @Singleton
    Peppers peppers(KeyledgerConfig config) {
        return peppers(config.keys().hashPeppers(), config.keys().hashPepper());
    }

    /** The list when it is set, else the single pepper as {@value Peppers#LEGACY_ID}; both at once is ambiguous, so refused. */
    static Peppers peppers(Optional<String> list, Optional<String> single) {
        Optional<String> listed = list.filter(v -> !v.isBlank());
        Optional<String> one = single.filter(v -> !v.isBlank());
        if (listed.isPresent() && one.isPresent()) {
            throw new IllegalStateException(PepperSettings.BOTH);
        }
        if (listed.isPresent()) {
            String problem = Peppers.problem(listed.get());
            if (problem != null) {
                throw new IllegalStateException("KEYLEDGER_KEYS_HASH_PEPPERS: " + problem);
            }
            return Peppers.parse(listed.get());
        }
        return Peppers.single(one.orElseThrow(() -> new IllegalStateException(PepperSettings.NONE)));
    }
}
