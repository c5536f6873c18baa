package io.keyledger.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerBreak;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.ledger.StreamChain;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Checks the ledger from the published records alone (README, "For auditors"): every stream's
 * chain from the {@code ce_ledgerentry}, {@code ce_ledgerprev} and {@code ce_ledgerhash} headers,
 * that each record's subject, type and value agree with its entry, and every signed checkpoint
 * against the records it covers. Two passes over the topic up to the end it saw at the start: the
 * first collects the checkpoints, the second checks the chains and feeds the checkpoints' heads.
 */
public final class PublishedLedgerVerifier {

    /** What the check found. */
    public record Report(long recordsRead, long eventsChecked, long checkpointsChecked, long duplicates,
            long unchainedRecords, LedgerBreak firstBreak) {

        public boolean valid() {
            return firstBreak == null;
        }
    }

    // exact decimals: a time is compared to the microsecond
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Re-sent records (the relay delivers at least once) are compared with first deliveries this recent. */
    private static final int RECENT_IDS = 100_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final java.util.Map<String, PublicKey> keysById;
    private final Duration pollTimeout;

    public PublishedLedgerVerifier(KafkaConsumer<String, byte[]> consumer, String topic, PublicKey publicKey,
            Duration pollTimeout) {
        this(consumer, topic, publicKey == null ? List.<PublicKey>of() : List.of(publicKey), pollTimeout);
    }

    /** Checks each checkpoint with the key it names, one without a key id with any of them; no keys: chains only. */
    public PublishedLedgerVerifier(KafkaConsumer<String, byte[]> consumer, String topic, List<PublicKey> publicKeys,
            Duration pollTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.keysById = io.keyledger.ledger.LedgerKeys.byId(publicKeys);
        this.pollTimeout = pollTimeout;
    }

    public Report verify() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, pollTimeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist or has no partitions");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, pollTimeout);

        Map<Long, CheckpointCoverage.Claim> claims = new TreeMap<>();
        readAll(assigned, end, record -> collectClaim(record, claims));
        CheckpointCoverage coverage = new CheckpointCoverage(
                keysById.isEmpty() ? List.of() : new ArrayList<>(claims.values()));

        Walk walk = new Walk(coverage);
        readAll(assigned, end, walk::accept);
        walk.finish();
        TreeMap<String, CheckpointCoverage.Frontier> inStreamOrder = new TreeMap<>(MerkleTree.STREAM_ORDER);
        inStreamOrder.putAll(walk.frontiers);
        inStreamOrder.forEach(coverage::add);
        LedgerBreak checkpointBreak = coverage.size() == 0 ? null : coverage.firstBreak(keysById);
        return new Report(walk.records, walk.events, coverage.size(), walk.duplicates, walk.unchained,
                LedgerBreak.first(walk.firstBreak, checkpointBreak));
    }

    private void readAll(List<TopicPartition> partitions, Map<TopicPartition, Long> end,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        consumer.seekToBeginning(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p, pollTimeout) < end.get(p))) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
        }
    }

    private static void collectClaim(ConsumerRecord<String, byte[]> record,
            Map<Long, CheckpointCoverage.Claim> claims) {
        byte[] entryBytes = headerBytes(record, "ce_ledgerentry");
        String position = header(record, "ce_ledgerposition");
        if (entryBytes == null || position == null || !MerkleTree.LEDGER_STREAM.equals(record.key())) {
            return;
        }
        try {
            JsonNode entry = JSON.readTree(entryBytes);
            // the claim as the chain protects it: the entry, not the record's value
            if ("LedgerCheckpoint".equals(entry.path("type").asText()) && entry.path("schema_version").asInt() >= 2) {
                JsonNode data = entry.path("data");
                claims.put(Long.parseLong(position),
                        new CheckpointCoverage.Claim(Long.parseLong(position), data.path("position").asLong(),
                                data.path("covers_transactions_below").asText(), data.path("merkle_root").asText(),
                                data.path("signature").asText(),
                                data.hasNonNull("key_id") ? data.get("key_id").asText() : null));
            }
        } catch (Exception e) {
            // an unreadable entry is reported by the walk, at its position
        }
    }

    /**
     * The second pass: chains, record-entry agreement, duplicates, and the checkpoints' candidate heads.
     * The relay publishes in commit order (by transaction id), which for two writers racing on one
     * stream can differ from version order, so each stream's records are put back in version order
     * here; only the records that arrive early wait.
     */
    private static final class Walk {

        private record Pending(long position, String prev, String hash, byte[] entry, String transaction) {
        }

        private final CheckpointCoverage coverage;
        private final Map<String, StreamChain> chains = new HashMap<>();
        private final Map<String, TreeMap<Integer, Pending>> early = new HashMap<>();
        private final Map<String, CheckpointCoverage.Frontier> frontiers = new HashMap<>();
        private final Map<String, String> recentIds = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > RECENT_IDS;
            }
        };
        private long records;
        private long events;
        private long duplicates;
        private long unchained;
        private LedgerBreak firstBreak;

        Walk(CheckpointCoverage coverage) {
            this.coverage = coverage;
        }

        void accept(ConsumerRecord<String, byte[]> record) {
            records++;
            String stream = record.key();
            String id = header(record, "ce_id");
            String hash = header(record, "ce_ledgerhash");
            byte[] entryBytes = headerBytes(record, "ce_ledgerentry");
            long position = parsePosition(header(record, "ce_ledgerposition"));
            if (stream == null) {
                fail(position, "?", "record without a key (stream id)");
                return;
            }
            StreamChain chain = chains.computeIfAbsent(stream, s -> new StreamChain());
            if (entryBytes == null) {
                unchained++;
                fail(position, stream, chain.acceptUnchained());
                return;
            }
            JsonNode entry;
            try {
                entry = JSON.readTree(entryBytes);
            } catch (Exception e) {
                fail(position, stream, "ce_ledgerentry is not JSON");
                return;
            }
            int version = entry.path("stream_version").asInt(-1);
            TreeMap<Integer, Pending> waiting = early.get(stream);
            boolean seen = version < chain.nextVersion() || (waiting != null && waiting.containsKey(version));
            if (id != null && hash != null && seen && recentIds.containsKey(id)) {
                duplicates++;
                if (!hash.equals(recentIds.get(id))) {
                    fail(position, stream, "a re-delivered record (ce_id " + id + ") differs from its first delivery");
                }
                return;
            }
            if (id != null && hash != null) {
                recentIds.put(id, hash);
            }
            events++;
            String mismatch = disagreement(record, stream, entry);
            if (mismatch != null) {
                fail(position, stream, mismatch);
            }
            Pending event = new Pending(position, header(record, "ce_ledgerprev"), hash, entryBytes,
                    header(record, "ce_ledgertx"));
            if (version > chain.nextVersion() && !chain.broken()) {
                early.computeIfAbsent(stream, s -> new TreeMap<>()).put(version, event);
                return;
            }
            check(stream, chain, version, event);
            while (waiting != null && waiting.containsKey(chain.nextVersion())) {
                int next = chain.nextVersion();
                check(stream, chain, next, waiting.remove(next));
            }
            if (waiting != null && waiting.isEmpty()) {
                early.remove(stream);
            }
        }

        private void check(String stream, StreamChain chain, int version, Pending event) {
            fail(event.position(), stream, chain.accept(version, event.prev(), event.hash(), event.entry()));
            if (!MerkleTree.LEDGER_STREAM.equals(stream) && event.transaction() != null) {
                frontiers.computeIfAbsent(stream, s -> coverage.frontier()).event(version, event.transaction(),
                        event.hash());
            }
        }

        /** Records still waiting for an earlier version that never came: the gap is a missing event. */
        void finish() {
            early.forEach((stream, waiting) -> {
                Map.Entry<Integer, Pending> first = waiting.firstEntry();
                fail(first.getValue().position(), stream, "missing event: expected stream_version "
                        + chains.get(stream).nextVersion() + ", found " + first.getKey());
                // as the database walk does: the checkpoints' heads are what was recorded, gap or not
                waiting.forEach((version, event) -> {
                    if (!MerkleTree.LEDGER_STREAM.equals(stream) && event.transaction() != null) {
                        frontiers.computeIfAbsent(stream, s -> coverage.frontier()).event(version, event.transaction(),
                                event.hash());
                    }
                });
            });
        }

        private void fail(long position, String stream, String reason) {
            if (reason != null) {
                firstBreak = LedgerBreak.first(firstBreak, new LedgerBreak(position, stream, reason));
            }
        }
    }

    /**
     * Where the record says something its hashed entry does not. Values are the published form:
     * timestamps in Unix seconds where the entry has RFC 3339, and fields added by upcasting that
     * the stored version lacks; a field in both must agree.
     */
    static String disagreement(ConsumerRecord<String, byte[]> record, String stream, JsonNode entry) {
        if (!stream.equals(entry.path("stream_id").asText())) {
            return "record key is not the entry's stream_id";
        }
        String subject = header(record, "ce_subject");
        if (subject != null && !subject.equals(stream)) {
            return "ce_subject is not the entry's stream_id";
        }
        String type = header(record, "ce_type");
        if (type != null && !type.startsWith("io.keyledger." + entry.path("type").asText() + ".v")) {
            return "ce_type is not the entry's type";
        }
        JsonNode value;
        try {
            value = JSON.readTree(record.value());
        } catch (Exception e) {
            return "record value is not JSON";
        }
        JsonNode data = entry.path("data");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode hashed = data.get(field.getKey());
            if (hashed != null && !sameValue(field.getValue(), hashed)) {
                return "published field " + field.getKey() + " does not match the hashed entry";
            }
        }
        return null;
    }

    private static boolean sameValue(JsonNode published, JsonNode hashed) {
        if (published.equals(hashed)) {
            return true;
        }
        if (published.isNumber() && hashed.isTextual()) {
            // a time: Unix seconds with a microsecond fraction published, RFC 3339 hashed
            try {
                Instant instant = Instant.parse(hashed.asText());
                BigDecimal seconds = BigDecimal.valueOf(instant.getEpochSecond())
                        .add(BigDecimal.valueOf(instant.getNano(), 9));
                return seconds.compareTo(published.decimalValue()) == 0;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return published.isNumber() && hashed.isNumber()
                && published.decimalValue().compareTo(hashed.decimalValue()) == 0;
    }

    private static long parsePosition(String position) {
        try {
            return position == null ? -1 : Long.parseLong(position);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        byte[] bytes = headerBytes(record, name);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] headerBytes(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }
}
