package io.keyledger.events;

import static io.keyledger.testing.KafkaTopics.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context travels from the HTTP request to the event on Kafka: the CloudEvents distributed-tracing
 * extension header {@code ce_traceparent} carries the request's trace id.
 */
@QuarkusTest
class TraceContextTest {

    private static final String TOPIC = "api-key-events";

    @Test
    void postWithTraceparent_yieldsEventsOnKafka_withTheSameTraceId() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";
        String org = Fixtures.newOrg();
        Api.admin(org).header("traceparent", traceparent)
                .postAccount("{\"name\":\"traced\",\"description\":\"t\",\"privilege\":\"member\"}").statusCode(201);
        Api.admin(org).header("traceparent", traceparent).postKey("traced", "{\"description\":\"traced key\"}")
                .statusCode(201);

        List<ConsumerRecord<String, String>> records = KafkaTopics.awaitRecords(TOPIC,
                r -> r.key().equals("service-account:" + org + ":traced"),
                seen -> seen.stream().map(r -> header(r, "ce_type")).distinct().count() >= 2, Duration.ofSeconds(60));
        for (ConsumerRecord<String, String> record : records) {
            String sent = header(record, "ce_traceparent");
            assertTrue(sent != null && sent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"),
                    header(record, "ce_type") + " ce_traceparent " + sent);
            assertEquals(traceId, sent.split("-")[1], header(record, "ce_type") + " carries another trace: " + sent);
        }
    }
}
