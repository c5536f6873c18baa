package io.keyledger.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads the authentication-usage topic in batches and moves each key's {@code last_used_at}
 * forward. Per poll batch: malformed records go to the dead-letter topic with the reason in a
 * header, the rest are coalesced to one timestamp per key and written in one statement, and
 * only then does the returned Uni complete, which is what lets the connector commit the offsets.
 * A failing database is retried, never skipped: the consumer waits rather than lose usage.
 */
@ApplicationScoped
@Startup // so its counters exist (at 0) before the first record arrives
public class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);
    public static final String REASON_HEADER = "dlq-reason";

    @Inject
    UsageProjection usage;

    @Inject
    Clock clock;

    @Inject
    @Channel("usage-dead-letters")
    MutinyEmitter<byte[]> deadLetters;

    private final Counter applied;
    private final Counter unknownKeys;
    private final Counter deadLettered;

    @Inject
    public UsageConsumer(MeterRegistry registry) {
        applied = Counter.builder("keyledger.usage.records.applied")
                .description("Usage records of known keys applied to last_used_at").register(registry);
        unknownKeys = Counter.builder("keyledger.usage.records.skipped")
                .description("Usage records skipped because the key is unknown or revoked").register(registry);
        deadLettered = Counter.builder("keyledger.usage.records.dead_lettered")
                .description("Malformed usage records sent to the dead-letter topic").register(registry);
    }

    @Incoming("authentication-usage")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        Instant now = clock.instant();
        UsageBatch<ConsumerRecord<String, byte[]>> batch = new UsageBatch<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(record, record.value(), now);
        }
        List<Uni<Void>> deadLetterSends = new ArrayList<>();
        batch.rejected().forEach(r -> {
            deadLettered.increment();
            LOG.warnf("usage record %s-%d@%d dead-lettered: %s", r.record().topic(), r.record().partition(),
                    r.record().offset(), r.reason());
            deadLetterSends.add(deadLetter(r.record(), r.reason()));
        });
        // A failed dead-letter send never fails the channel (which would stop usage for good): it is
        // retried, and the batch is acknowledged only once every bad record is on the DLQ.
        Uni<Void> sent = deadLetterSends.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(deadLetterSends).andCollectFailures().replaceWithVoid().onFailure()
                        .invoke(e -> LOG.warnf("could not dead-letter usage records, retrying: %s", e.getMessage()))
                        .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely();
        return sent
                .chain(() -> usage.applyLatestUse(batch.latestUse()).onFailure()
                        .invoke(e -> LOG.warnf("could not write usage, retrying: %s", e.getMessage())).onFailure()
                        .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely())
                .invoke(known -> batch.recordsPerKey()
                        .forEach((keyId, count) -> (known.contains(keyId) ? applied : unknownKeys).increment(count)))
                .replaceWithVoid();
    }

    /**
     * Sends one bad record to the DLQ, lazily (each retry sends again). A record the DLQ cannot
     * take whole (too large for it) goes with its first {@link #TRUNCATED_BYTES} bytes and a
     * {@code dlq-truncated} header: its original topic, partition and offset still locate it, and
     * it cannot block the partition forever.
     */
    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return Uni.createFrom().deferred(() -> send(record, reason, value, false)).onFailure(UsageConsumer::tooLarge)
                .recoverWithUni(() -> send(record, reason,
                        java.util.Arrays.copyOf(value, Math.min(value.length, TRUNCATED_BYTES)), true));
    }

    static final int TRUNCATED_BYTES = 1024;

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> send(ConsumerRecord<String, byte[]> record, String reason, byte[] value, boolean truncated) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-original-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-original-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-original-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        if (truncated) {
            headers.add("dlq-truncated", "true".getBytes(StandardCharsets.UTF_8));
        }
        return deadLetters.sendMessage(Message.of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()));
    }
}
