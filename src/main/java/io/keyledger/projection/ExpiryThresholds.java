package io.keyledger.projection;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The expiry-warning thresholds of {@code keyledger.expiry.warnings}, parsed once for the projections and the expiry
 * scanner; at start-up, so a bad list stops the service before it answers.
 */
@ApplicationScoped
@Startup
public class ExpiryThresholds {

    private final List<ExpiryWarnings.Threshold> thresholds;

    @Inject
    ExpiryThresholds(KeyledgerConfig config) {
        thresholds = ExpiryWarnings.parse(config.expiry().warnings());
    }

    public List<ExpiryWarnings.Threshold> list() {
        return thresholds;
    }
}
