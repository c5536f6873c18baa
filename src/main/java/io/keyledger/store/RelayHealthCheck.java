package io.keyledger.store;

import io.keyledger.config.KeyledgerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready is DOWN while the relay has been unable to publish for longer than keyledger.relay.stall-after. */
@Readiness
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {

    @Inject
    RelayStatus status;

    @Inject
    KeyledgerConfig config;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        boolean stalled = status.stalled(clock.instant(), config.relay().stallAfter());
        var response = HealthCheckResponse.named("kafka-relay")
                .status(!stalled)
                .withData("role", status.role().name())
                .withData("checkpoint_position", status.checkpointPosition());
        if (status.lastError() != null) {
            response.withData("last_error", status.lastError());
        }
        return response.build();
    }
}
