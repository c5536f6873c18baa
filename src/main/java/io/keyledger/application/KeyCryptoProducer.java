package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.KeyHasher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

/** One key format and one hasher for the whole service, built from configuration: minting and verifying must agree. */
public class KeyCryptoProducer {

    @Produces
    @Singleton
    ApiKeyFormat apiKeyFormat(KeyledgerConfig config) {
        return new ApiKeyFormat(config.keys().prefix(), new SecureRandom());
    }

    @Produces
    @Singleton
    KeyHasher keyHasher(KeyledgerConfig config) {
        return new KeyHasher(config.keys().hashPepper());
    }
}
