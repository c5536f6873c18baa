package io.keyledger.auth;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.events.EventCodec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Retires a key in this replica's verification cache when another replica revokes or rotates
 * it, or changes its account. Every replica must see every event, so this is a broadcast: the
 * consumer assigns itself all partitions by hand and joins no consumer group (nothing is
 * created on the broker per start, and nothing is committed). On start it reads back a little
 * more than the cache TTL, so an event published while the replica was starting is not missed.
 * It runs on its own thread, never on the event loop.
 */
@ApplicationScoped
public class KeyEventListener {

    private static final Logger LOG = Logger.getLogger(KeyEventListener.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Registry names of the events that end a key's or an account's cached verifications. */
    private static final Set<String> KEY_CHANGES = Set.of(EventCodec.KEY_REVOKED, EventCodec.KEY_ROTATED,
            EventCodec.KEY_DISABLED, EventCodec.KEY_ENABLED);

    private static final Set<String> ACCOUNT_CHANGES = Set.of(EventCodec.SERVICE_ACCOUNT_UPDATED,
            EventCodec.SERVICE_ACCOUNT_DELETED);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    KeyledgerConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "keyledger-key-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig())) {
                consumer = kafka;
                consume(kafka);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("key-event listener failed, restarting in 1 s: %s", e.getMessage());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void consume(KafkaConsumer<String, String> kafka) {
        String topic = config.relay().topic();
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        while (running) {
            if (System.nanoTime() - nextRefresh >= 0) {
                assignNew(kafka, topic, assigned, assigned.isEmpty());
                nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
            }
            if (assigned.isEmpty()) {
                sleep(Duration.ofSeconds(1));
                nextRefresh = 0;
                continue;
            }
            for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
                apply(record);
            }
        }
    }

    /** Assigns partitions not yet held: at start from a little before now, later (new partitions) from their start. */
    private void assignNew(KafkaConsumer<String, String> kafka, String topic, Set<TopicPartition> assigned,
            boolean atStart) {
        List<PartitionInfo> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(5));
        Set<TopicPartition> added = new HashSet<>();
        if (partitions != null) {
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        kafka.assign(all);
        if (atStart) {
            long from = System.currentTimeMillis() - config.keys().cacheTtl().plusSeconds(10).toMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            added.forEach(tp -> query.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(query, Duration.ofSeconds(5));
            for (TopicPartition tp : added) {
                OffsetAndTimestamp at = offsets.get(tp);
                if (at == null) {
                    kafka.seekToEnd(List.of(tp));
                } else {
                    kafka.seek(tp, at.offset());
                }
            }
        } else {
            kafka.seekToBeginning(added);
        }
        assigned.addAll(added);
    }

    void apply(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        if (type == null || record.value() == null) {
            return;
        }
        String eventType = EventCodec.fromCloudEventType(new String(type.value(), StandardCharsets.UTF_8)).orElse("");
        boolean keyChanged = KEY_CHANGES.contains(eventType);
        boolean accountChanged = ACCOUNT_CHANGES.contains(eventType);
        if (!keyChanged && !accountChanged) {
            return;
        }
        try {
            JsonObject value = new JsonObject(record.value());
            if (keyChanged) {
                verifier.invalidate(value.getString("id"));
            } else {
                verifier.invalidateAccount(value.getString("org"), value.getString("name"));
            }
        } catch (RuntimeException e) {
            LOG.warnf("unreadable key event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "keyledger-key-events");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
