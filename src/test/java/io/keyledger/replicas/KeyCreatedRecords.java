package io.keyledger.replicas;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyledger.testing.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code api-key-events} from the beginning, for the whole run, on a thread of its own: for every KeyCreated
 * record, the key id (the JSON value's {@code id}) and the {@code ce_id} of each copy seen; for every KeyRevoked
 * record, when it arrived here (to split a revocation's way to the other replicas into relay and listener). A relay that dies
 * mid-batch re-sends, so a key may arrive more than once; each copy must carry the same {@code ce_id}.
 */
final class KeyCreatedRecords implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> ceIdsByKeyId = new ConcurrentHashMap<>();
    private final Map<String, Long> revokedArrivals = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    KeyCreatedRecords(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "key-created-records");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    long arrived = System.nanoTime();
                    String type = KafkaTopics.header(record, "ce_type");
                    records.incrementAndGet();
                    if (type != null && type.contains(".KeyRevoked.") && record.value() != null) {
                        revokedArrivals.putIfAbsent(JSON.readTree(record.value()).path("id").asText(""), arrived);
                    }
                    if (type == null || !type.contains(".KeyCreated.") || record.value() == null) {
                        continue;
                    }
                    String keyId = JSON.readTree(record.value()).path("id").asText(null);
                    String ceId = KafkaTopics.header(record, "ce_id");
                    ceIdsByKeyId.computeIfAbsent(keyId, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(ceId);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** True when every id has arrived (at least once). */
    boolean containsAll(Set<String> keyIds) {
        requireHealthy();
        return ceIdsByKeyId.keySet().containsAll(keyIds);
    }

    /** The ids not (yet) seen. */
    List<String> missing(Set<String> keyIds) {
        return keyIds.stream().filter(id -> !ceIdsByKeyId.containsKey(id)).sorted().toList();
    }

    /** The ce_ids each of these keys arrived with (one entry per copy). */
    Map<String, List<String>> copies(Set<String> keyIds) {
        Map<String, List<String>> copies = new HashMap<>();
        for (String id : keyIds) {
            List<String> ceIds = ceIdsByKeyId.get(id);
            if (ceIds != null) {
                synchronized (ceIds) {
                    copies.put(id, List.copyOf(ceIds));
                }
            }
        }
        return copies;
    }

    /** When (System.nanoTime) this reader first saw the KeyRevoked record of a key, or null. */
    Long revokedArrivedAt(String keyId) {
        return revokedArrivals.get(keyId);
    }

    long recordsRead() {
        return records.get();
    }

    private void requireHealthy() {
        if (failure != null) {
            throw new AssertionError("reading api-key-events failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
