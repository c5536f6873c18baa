package io.keyledger.relay;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.events.EventCodec;
import io.keyledger.store.AdvisoryLock;
import io.keyledger.store.EventLog;
import io.keyledger.store.LedgerEntry;
import io.keyledger.store.LockId;
import io.keyledger.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes committed events to Kafka in log order: the transactional outbox, with the event
 * table itself as the outbox, so there is no dual write.
 *
 * <ul>
 *   <li>One relay publishes at a time across replicas: it holds a PostgreSQL session advisory
 *   lock on its own connection. If that replica dies, its connection drops, the lock is freed
 *   and a standby takes over from the shared checkpoint.</li>
 *   <li>It reads by (transaction id, position) below the oldest running transaction, so a
 *   row that commits late is never skipped (see {@link EventLog#READ_COMMITTED_AFTER}).</li>
 *   <li>The checkpoint moves only after Kafka acknowledged the whole batch (acks=all,
 *   idempotent producer), so a crash re-sends rather than loses: delivery is at least once,
 *   and a duplicate carries the same {@code ce_id}.</li>
 * </ul>
 *
 * It runs on its own thread, never on the event loop, so it may wait.
 */
@ApplicationScoped
public class KafkaRelay {

    private static final Logger LOG = Logger.getLogger(KafkaRelay.class);
    static final String CHECKPOINT_NAME = "kafka-relay";
    static final String LOAD_CHECKPOINT = "SELECT transaction_id::text AS transaction_id, position FROM relay_checkpoints WHERE name = $1";
    static final String SAVE_CHECKPOINT = """
            INSERT INTO relay_checkpoints (name, transaction_id, position, updated_at)
            VALUES ($1, $2::text::xid8, $3, now())
            ON CONFLICT (name) DO UPDATE
               SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()""";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STANDBY_POLL = Duration.ofSeconds(1);

    @Inject
    Pool pool;

    @Inject
    EventLog log;

    @Inject
    RelayStatus status;

    @Inject
    KeyledgerConfig config;

    @Inject
    Clock clock;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry registry;

    private volatile boolean running;
    private Thread thread;
    private Counter published;
    private Timer lag;

    private AdvisoryLock lock;
    /** True once this replica leads and has loaded the checkpoint; false again after a failure releases the lock. */
    private boolean leader;

    private String checkpointTransaction = "0";
    private long checkpointPosition;
    private KafkaProducer<String, byte[]> producer;

    void onStart(@Observes StartupEvent startup) {
        if (!config.relay().enabled()) {
            LOG.info("Kafka relay disabled (keyledger.relay.enabled=false)");
            status.role(RelayStatus.Role.STOPPED);
            return;
        }
        published = Counter.builder("keyledger.relay.events.published").description("Events acknowledged by Kafka")
                .register(registry);
        lag = Timer.builder("keyledger.relay.publication.lag")
                .description("Time from event append to Kafka acknowledgement").publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder("keyledger.relay.checkpoint.position", status, RelayStatus::checkpointPosition)
                .description("Last event position published").register(registry);
        // What the "kafka" health group says, as metrics the PrometheusRule in k8s/observability alerts on.
        Gauge.builder("keyledger.relay.failing", status, s -> s.failingFor().toMillis() / 1000.0).baseUnit("seconds")
                .description("How long the relay has been failing without a success; 0 while it publishes")
                .register(registry);
        Gauge.builder("keyledger.relay.stalled", status, s -> s.stalled() ? 1 : 0)
                .description("1 while the relay has failed for longer than keyledger.relay.stall-after")
                .register(registry);
        Gauge.builder("keyledger.relay.leader", status, s -> s.role() == RelayStatus.Role.LEADER ? 1 : 0)
                .description("1 on the replica whose relay holds the leader lock").register(registry);
        startRelay();
    }

    /** Starts the relay thread; it resumes from the stored checkpoint. */
    synchronized void startRelay() {
        if (running) {
            return;
        }
        running = true;
        lock = new AdvisoryLock(pool, LockId.RELAY_LEADER);
        thread = new Thread(this::run, "keyledger-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        stopRelay();
    }

    /** Graceful stop: finish the batch in flight, then release the lock. Also what a crash looks like to the next leader. */
    synchronized void stopRelay() {
        running = false;
        if (thread != null) {
            // no interrupt: the loop notices within 100 ms and releases its lock cleanly
            try {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = config.relay().pollInterval();
        while (running) {
            try {
                if (!ensureLeadership()) {
                    pause(STANDBY_POLL);
                    continue;
                }
                int sent = relayOneBatch();
                if (backoff.compareTo(config.relay().pollInterval()) > 0) {
                    LOG.infof("Kafka relay recovered; published up to position %d", checkpointPosition);
                }
                backoff = config.relay().pollInterval();
                if (sent < config.relay().batchSize()) {
                    pause(config.relay().pollInterval());
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                status.failed(clock.instant(), e.getClass().getSimpleName() + ": " + e.getMessage());
                LOG.warnf("Kafka relay could not publish (retrying in %d ms): %s", backoff.toMillis(), e.getMessage());
                resetAfterFailure();
                pause(backoff);
                backoff = min(backoff.multipliedBy(2).plusMillis(100), config.relay().maxBackoff());
            }
        }
        resetAfterFailure();
        status.role(RelayStatus.Role.STOPPED);
    }

    private boolean ensureLeadership() {
        if (!leader) {
            if (!lock.held()) {
                status.role(RelayStatus.Role.STANDBY);
                return false;
            }
            loadCheckpoint();
            leader = true;
            status.role(RelayStatus.Role.LEADER);
            LOG.infof("Kafka relay is the leader; resuming after position %d", checkpointPosition);
        }
        return true;
    }

    private void loadCheckpoint() {
        var rows = lock.connection().preparedQuery(LOAD_CHECKPOINT).execute(Tuple.of(CHECKPOINT_NAME)).await()
                .atMost(DB_TIMEOUT);
        if (rows.iterator().hasNext()) {
            Row row = rows.iterator().next();
            checkpointTransaction = row.getString("transaction_id");
            checkpointPosition = row.getLong("position");
        } else {
            checkpointTransaction = "0";
            checkpointPosition = 0;
        }
    }

    /** Publishes the next batch and moves the checkpoint; returns how many events it published. */
    private int relayOneBatch() throws Exception {
        List<StoredEvent> batch = log.readCommittedAfter(lock.connection(), checkpointTransaction, checkpointPosition,
                config.relay().batchSize()).await().atMost(DB_TIMEOUT);
        if (batch.isEmpty()) {
            status.succeeded(checkpointPosition);
            return 0;
        }
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (StoredEvent event : batch) {
            acks.add(kafka.send(toRecord(event)));
        }
        kafka.flush();
        Instant now = clock.instant();
        for (int i = 0; i < acks.size(); i++) {
            acks.get(i).get(config.relay().maxBackoff().toMillis() + 30_000, TimeUnit.MILLISECONDS);
            lag.record(Duration.between(batch.get(i).recordedAt(), now));
        }
        StoredEvent last = batch.get(batch.size() - 1);
        lock.connection().preparedQuery(SAVE_CHECKPOINT)
                .execute(Tuple.of(CHECKPOINT_NAME, last.transactionId(), last.position())).await().atMost(DB_TIMEOUT);
        checkpointTransaction = last.transactionId();
        checkpointPosition = last.position();
        published.increment(batch.size());
        status.succeeded(checkpointPosition);
        return batch.size();
    }

    /** The record the relay publishes for an event (CloudEvents binary mode: attributes in ce_ headers). */
    public ProducerRecord<String, byte[]> toRecord(StoredEvent event) {
        var domainEvent = EventCodec.decode(event.type(), event.schemaVersion(), event.data());
        byte[] value = PublishedEvents.value(domainEvent).encode().getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.eventId().toString());
        header(headers, "ce_source", config.relay().source());
        // the record carries the event as read now (upcast to the current version), so its type and schema say that
        // version
        int version = EventCodec.currentVersion(event.type());
        header(headers, "ce_type", PublishedEvents.cloudEventType(event.type(), version));
        header(headers, "ce_time", event.recordedAt().toString());
        header(headers, "ce_subject", event.streamId());
        header(headers, "ce_dataschema", "urn:keyledger:event:" + event.type() + ":v" + version);
        header(headers, "content-type", "application/json");
        // CloudEvents distributed-tracing extension: the W3C trace context of the request that caused the event
        String traceparent = event.metadata() == null ? null : event.metadata().getString("traceparent");
        if (traceparent != null) {
            header(headers, "ce_traceparent", traceparent);
        }
        // the ledger (README, "For auditors"): where the event is in the log, its chain link, and the entry
        // the hash covers, so an auditor can check the chain from the topic alone (keyledger-verify.jar)
        header(headers, "ce_ledgerposition", Long.toString(event.position()));
        header(headers, "ce_ledgertx", event.transactionId());
        if (event.hash() != null) {
            header(headers, "ce_ledgerhash", event.hash());
            header(headers, "ce_ledgerprev", event.prevHash());
            headers.add("ce_ledgerentry", LedgerEntry.of(event));
        }
        return new ProducerRecord<>(config.relay().topic(), null, event.streamId(), value, headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafkaConfig);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            // a record carries its ledger entry (about twice the value): bigger, compressed batches, so a backlog
            // drains in few requests per relay batch instead of one per handful of records
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-relay");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    /** Drops the producer and the connection (and so the lock); the next round starts clean. */
    private void resetAfterFailure() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(1));
            } catch (Exception e) {
                LOG.debug("closing the relay producer failed", e);
            }
            producer = null;
        }
        // the connection goes back to the pool: never let a pooled session keep the leader lock
        if (lock != null) {
            lock.release();
        }
        leader = false;
    }

    private void pause(Duration duration) {
        AdvisoryLock.pause(duration, () -> running);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
