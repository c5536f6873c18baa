package io.keyledger.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.store.LedgerEntry;
import io.keyledger.testing.RealServices;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code target/keyledger-verify.jar}, run as an auditor runs it ({@code java -jar}, no
 * service, no database), against a real broker: a sound log passes (exit 0), an altered entry is
 * named at its position (exit 1), a bad argument is a usage error (exit 2). The records are made
 * by the service's own ledger code (LedgerEntry, LedgerChain); StandaloneVerifierTest covers what
 * the relay publishes.
 */
class KeyledgerVerifyJarIT {

    static final Path JAR = Path.of("target/keyledger-verify.jar");
    static KafkaClusterTestKit kafka;
    static KeyPair keys;
    static Path publicKeyPem;

    @BeforeAll
    static void start() throws Exception {
        kafka = RealServices.KafkaBroker.start();
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        publicKeyPem = Files.createTempFile("ledger-public", ".pem");
        Files.writeString(publicKeyPem,
                "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    record Event(long position, String stream, int version, String prev, String hash, byte[] entry, JsonObject data) {
    }

    /** Two streams of three events each, written by transactions 100..105, and a checkpoint over them. */
    static List<Event> log() throws Exception {
        List<Event> events = new ArrayList<>();
        long position = 1;
        for (String stream : List.of("service-account:acme:a", "service-account:acme:b")) {
            String prev = LedgerChain.GENESIS;
            for (int version = 1; version <= 3; version++) {
                JsonObject data = new JsonObject().put("org", "acme").put("n", version);
                byte[] entry = LedgerEntry.of(stream, version, "ServiceAccountUpdated", 1, data,
                        new JsonObject().put("request_id", "r-" + position),
                        Instant.parse("2026-11-25T10:00:00Z").plusSeconds(position));
                String hash = LedgerChain.hash(prev, entry);
                events.add(new Event(position++, stream, version, prev, hash, entry, data));
                prev = hash;
            }
        }
        List<StreamHead> heads = List.of(new StreamHead("service-account:acme:a", 3, events.get(2).hash()),
                new StreamHead("service-account:acme:b", 3, events.get(5).hash()));
        String root = MerkleTree.root(heads);
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(keys.getPrivate());
        ed25519.update(CheckpointStatement.signedBytes(6, "200", root));
        JsonObject checkpoint = new JsonObject().put("position", 6).put("covers_transactions_below", "200")
                .put("streams", 2).put("merkle_root", root)
                .put("signature", Base64.getEncoder().encodeToString(ed25519.sign()));
        byte[] entry = LedgerEntry.of("ledger", 1, "LedgerCheckpoint", 2, checkpoint, new JsonObject(),
                Instant.parse("2026-11-25T11:00:00Z"));
        events.add(new Event(7, "ledger", 1, LedgerChain.GENESIS, LedgerChain.hash(LedgerChain.GENESIS, entry), entry,
                checkpoint));
        return events;
    }

    static String publish(List<Event> events) throws Exception {
        String topic = "verify-jar-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (Event event : events) {
                RecordHeaders headers = new RecordHeaders();
                String type = event.stream().equals("ledger") ? "LedgerCheckpoint.v2" : "ServiceAccountUpdated.v1";
                headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                headers.add("ce_type", ("io.keyledger." + type).getBytes(StandardCharsets.UTF_8));
                headers.add("ce_subject", event.stream().getBytes(StandardCharsets.UTF_8));
                headers.add("ce_ledgerposition", Long.toString(event.position()).getBytes(StandardCharsets.UTF_8));
                headers.add("ce_ledgertx", Long.toString(99 + event.position()).getBytes(StandardCharsets.UTF_8));
                headers.add("ce_ledgerprev", event.prev().getBytes(StandardCharsets.UTF_8));
                headers.add("ce_ledgerhash", event.hash().getBytes(StandardCharsets.UTF_8));
                headers.add("ce_ledgerentry", event.entry());
                producer.send(new ProducerRecord<>(topic, null, event.stream(),
                        event.data().encode().getBytes(StandardCharsets.UTF_8), headers)).get(30, TimeUnit.SECONDS);
            }
        }
        return topic;
    }

    record Run(int exitCode, String stdout) {
    }

    static Run jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("verify", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "keyledger-verify.jar did not finish");
        return new Run(process.exitValue(), Files.readString(out));
    }

    @Test
    void aSoundLogPasses_anAlteredEntryIsNamed_andBadArgumentsAreAUsageError() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package");
        List<Event> log = log();

        Run sound = jar("--kafka", kafka.bootstrapServers(), "--topic", publish(log), "--public-key",
                publicKeyPem.toString());
        assertEquals(0, sound.exitCode(), sound.stdout());
        JsonObject report = new JsonObject(sound.stdout().trim());
        assertEquals(true, report.getBoolean("valid"));
        assertEquals(7, report.getLong("events_checked"));
        assertEquals(1, report.getLong("checkpoints_checked"));

        List<Event> altered = new ArrayList<>(log);
        Event second = altered.get(1);
        byte[] forged = new String(second.entry(), StandardCharsets.UTF_8).replace("\"n\":2", "\"n\":9")
                .getBytes(StandardCharsets.UTF_8);
        altered.set(1, new Event(second.position(), second.stream(), second.version(), second.prev(), second.hash(),
                forged, second.data().copy().put("n", 9)));
        Run broken = jar("--kafka", kafka.bootstrapServers(), "--topic", publish(altered), "--public-key",
                publicKeyPem.toString());
        assertEquals(1, broken.exitCode(), broken.stdout());
        JsonObject brokenReport = new JsonObject(broken.stdout().trim());
        assertEquals(2, brokenReport.getJsonObject("first_break").getLong("position"));
        assertTrue(brokenReport.getJsonObject("first_break").getString("reason").contains("altered"));

        assertEquals(2, jar("--topic", "x").exitCode());
    }
}
