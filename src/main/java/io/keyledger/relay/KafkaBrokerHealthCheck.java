package io.keyledger.relay;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether a Kafka broker answers, in the health group {@value RelayHealthCheck#GROUP}
 * ({@code /q/health/group/kafka} on the management port). Not a readiness check: serving a request
 * never needs Kafka (the events table is the outbox), so a broker outage must not take replicas out
 * of the Service. Replaces Quarkus's own Kafka check, which waits on the admin client's default
 * 60 s timeout; this one answers within about 2 s.
 */
@HealthGroup(RelayHealthCheck.GROUP)
@ApplicationScoped
public class KafkaBrokerHealthCheck implements AsyncHealthCheck {

    private static final int TIMEOUT_MS = 2_000;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile AdminClient admin;

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .completionStage(() -> admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                        .nodes().toCompletionStage())
                .map(nodes -> HealthCheckResponse.named("kafka").up().withData("brokers", nodes.size()).build())
                .ifNoItem().after(Duration.ofMillis(TIMEOUT_MS + 500))
                .failWith(() -> new IllegalStateException("timed out")).onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("kafka").down()
                        .withData("reason", String.valueOf(e.getMessage())).build());
    }

    private AdminClient admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> props = new HashMap<>(kafkaConfig);
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
                    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS + 1_000);
                    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "keyledger-health");
                    admin = AdminClient.create(props);
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
