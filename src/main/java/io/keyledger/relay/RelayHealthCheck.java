package io.keyledger.relay;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * DOWN while the relay has been unable to publish for longer than keyledger.relay.stall-after. In the
 * health group {@value #GROUP} ({@code /q/health/group/kafka}), which no probe uses: a stalled relay delays
 * publication but never a request. The same state is the {@code keyledger_relay_stalled} and
 * {@code keyledger_relay_failing_seconds} metrics, which the PrometheusRule in k8s/observability alerts on.
 */
@HealthGroup(RelayHealthCheck.GROUP)
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {

    /** The health group for Kafka and the relay: {@code /q/health/group/kafka}. */
    public static final String GROUP = "kafka";

    @Inject
    RelayStatus status;

    @Override
    public HealthCheckResponse call() {
        boolean stalled = status.stalled();
        var response = HealthCheckResponse.named("kafka-relay").status(!stalled).withData("role", status.role().name())
                .withData("checkpoint_position", status.checkpointPosition())
                .withData("failing_seconds", status.failingFor().toSeconds());
        if (status.lastError() != null) {
            response.withData("last_error", status.lastError());
        }
        return response.build();
    }
}
