package io.keyledger.bench;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The usage-ingestion figure.
 *
 * <ul>
 *   <li>{@code produce <bootstrap> <topic> <keys-file> <records> <out.json>}: writes the backlog
 *   while the service is down: {@code records} usage records, {"key_id", "used_at"}, spread
 *   uniformly at random over the key ids in the keys file (third column), keyed by key id.</li>
 *   <li>{@code watch <base-url> <bootstrap> <topic> <expected> <timeout-seconds> <launch-epoch-ms> <out.json>}:
 *   polls /q/metrics of the restarted service until {@code expected} records are applied, and
 *   reports the applied rate and the consumer lag, both as the service's consumer sees it
 *   (records-lag metrics) and as committed by its group (end offsets minus committed offsets).</li>
 * </ul>
 */
public final class UsageBacklog {

    private static final long POLL_MILLIS = 250;
    /** The service's consumer group (mp.messaging.incoming.authentication-usage.group.id). */
    private static final String GROUP = "keyledger-usage";

    private UsageBacklog() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" -> System.out.println(BenchSupport.JSON.writeValueAsString(
                    produce(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), Path.of(args[5]))));
            case "watch" -> System.out.println(BenchSupport.JSON.writeValueAsString(
                    watch(BenchSupport.managementUrl(args[1]), args[2], args[3], Long.parseLong(args[4]),
                            Integer.parseInt(args[5]), Long.parseLong(args[6]), Path.of(args[7]))));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** Writes the backlog; writes {@code out} and returns what it wrote. */
    static Map<String, Object> produce(String bootstrap, String topic, Path keysFile, int records, Path out)
            throws Exception {
        List<String> keyIds = new ArrayList<>();
        for (String line : Files.readAllLines(keysFile)) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 3) {
                keyIds.add(columns[2]);
            }
        }
        if (keyIds.isEmpty()) {
            throw new IllegalStateException("no key ids in " + keysFile);
        }
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(), ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName());
        Random random = new Random(42);
        long nowSeconds = System.currentTimeMillis() / 1000;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < records; i++) {
                String keyId = keyIds.get(random.nextInt(keyIds.size()));
                double usedAt = nowSeconds - 86_400 + random.nextInt(86_000) + random.nextInt(1000) / 1000.0;
                byte[] value = String.format(Locale.ROOT, "{\"key_id\":\"%s\",\"used_at\":%.3f}", keyId, usedAt)
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, keyId, value));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("records", records);
        result.put("distinct_keys", keyIds.size());
        result.put("produce_seconds", BenchSupport.round(seconds));
        result.put("produce_rate", BenchSupport.round(records / seconds));
        BenchSupport.writeJson(out, result);
        return result;
    }

    /** Watches the drain on the service's management interface; writes {@code out}, returns it without the timeline. */
    static Map<String, Object> watch(String managementUrl, String bootstrap, String topic, long expected,
            int timeoutSeconds, long launchEpochMillis, Path out) throws Exception {
        HttpClient client = BenchSupport.http();
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000));
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(40, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        long committedLag = committedLag(admin, partitions);
        long maxCommittedLag = committedLag;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double startApplied = Double.NaN;
        long startMillis = 0;
        double applied = 0;
        double skipped = 0;
        double lag = Double.NaN;
        double maxLag = 0;
        Long firstAppliedMillis = null;
        Long doneMillis = null;
        List<Map<String, Object>> timeline = new ArrayList<>();
        long lastTimelineMillis = 0;
        while (System.nanoTime() < deadline) {
            String metrics = BenchSupport.scrape(client, managementUrl);
            long now = System.currentTimeMillis();
            if (metrics != null) {
                applied = zeroIfNaN(BenchSupport.sum(metrics, "keyledger_usage_records_applied_total"));
                skipped = zeroIfNaN(BenchSupport.sum(metrics, "keyledger_usage_records_skipped_total"));
                // per-partition lag once the metrics binder has picked it up, else the client's max over partitions
                lag = BenchSupport.sum(metrics, "kafka_consumer_fetch_manager_records_lag", "topic=\"" + topic + "\"");
                if (Double.isNaN(lag)) {
                    lag = BenchSupport.sum(metrics, "kafka_consumer_fetch_manager_records_lag_max", topic);
                }
                if (!Double.isNaN(lag)) {
                    maxLag = Math.max(maxLag, lag);
                }
                // the slope starts at the last sample before anything was applied
                if (applied == 0 || Double.isNaN(startApplied)) {
                    startApplied = applied;
                    startMillis = now;
                }
                if (applied > 0 && firstAppliedMillis == null) {
                    firstAppliedMillis = now;
                }
                if (now - lastTimelineMillis >= 1000) {
                    committedLag = committedLag(admin, partitions);
                    maxCommittedLag = Math.max(maxCommittedLag, committedLag);
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("t_s", BenchSupport.round((now - launchEpochMillis) / 1000.0));
                    point.put("applied", (long) applied);
                    point.put("consumer_lag", Double.isNaN(lag) ? null : (long) lag);
                    point.put("committed_lag", committedLag);
                    timeline.add(point);
                    lastTimelineMillis = now;
                }
                if (applied + skipped >= expected) {
                    doneMillis = now;
                    break;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        // the group commits on a timer: give it a few seconds to catch up with what was applied
        long commitDeadline = System.currentTimeMillis() + 15_000;
        while (doneMillis != null && committedLag != 0 && System.currentTimeMillis() < commitDeadline) {
            Thread.sleep(500);
            committedLag = committedLag(admin, partitions);
        }
        admin.close(Duration.ofSeconds(2));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("expected", expected);
        result.put("applied", (long) applied);
        result.put("skipped", (long) skipped);
        result.put("completed", doneMillis != null);
        result.put("max_consumer_lag", (long) maxLag);
        result.put("consumer_lag_at_end", Double.isNaN(lag) ? null : (long) lag);
        result.put("max_committed_lag", maxCommittedLag);
        result.put("committed_lag_at_end", committedLag);
        if (doneMillis != null) {
            double steadySeconds = (doneMillis - startMillis) / 1000.0;
            result.put("drain_seconds", BenchSupport.round(steadySeconds));
            result.put("applied_per_second", BenchSupport.round((applied - startApplied) / steadySeconds));
            result.put("drain_seconds_from_launch", BenchSupport.round((doneMillis - launchEpochMillis) / 1000.0));
            result.put("applied_per_second_from_launch",
                    BenchSupport.round(applied / ((doneMillis - launchEpochMillis) / 1000.0)));
        } else {
            long elapsed = System.currentTimeMillis() - startMillis;
            result.put("applied_per_second",
                    elapsed > 0 ? BenchSupport.round((applied - startApplied) / (elapsed / 1000.0)) : null);
        }
        result.put("timeline", timeline);
        BenchSupport.writeJson(out, result);
        Map<String, Object> brief = new LinkedHashMap<>(result);
        brief.remove("timeline");
        return brief;
    }

    /** Records in the topic not yet committed by the service's group; -1 if Kafka does not answer. */
    private static long committedLag(Admin admin, List<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            var committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(5,
                    TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata c = committed.get(p);
                lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private static double zeroIfNaN(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
