package io.keyledger.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.ledger.CheckpointStatement;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The standalone ledger verifier ({@code target/keyledger-verify.jar}): checks everything published
 * on the topic, with no keyledger service or database.
 *
 * <pre>java -jar keyledger-verify.jar --kafka BOOTSTRAP --topic api-key-events --public-key PEM</pre>
 *
 * Prints one JSON line ({@code valid, records_read, events_checked, checkpoints_checked, duplicates,
 * unchained_records, first_break?}); exits 0 when valid, 1 on a break, 2 on a usage or connection error.
 */
public final class KeyledgerVerify {

    static final String USAGE = """
            usage: java -jar keyledger-verify.jar --kafka BOOTSTRAP [--topic api-key-events] --public-key PEM
                   [--consumer-property NAME=VALUE]... [--timeout SECONDS]
              --public-key  a PEM file, the PEM text itself, or the service's http(s) URL of /api/v2/ledger/public-key;
                            or a JWKS file or URL (/api/v2/ledger/public-keys); repeat it to give earlier keys too;
                            "none" checks the chains only, not the signed checkpoints
            """;

    private KeyledgerVerify() {
    }

    public static void main(String[] args) {
        // the Kafka client logs through SLF4J; the jar ships no logging backend, and says what matters itself
        System.setProperty("slf4j.provider",
                System.getProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider"));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String bootstrap = null;
        String topic = "api-key-events";
        String publicKeyArg = null;
        List<String> publicKeyArgs = new java.util.ArrayList<>();
        Duration timeout = Duration.ofSeconds(30);
        Properties properties = new Properties();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--kafka" -> bootstrap = value(args, ++i, arg);
                    case "--topic" -> topic = value(args, ++i, arg);
                    case "--public-key" -> {
                        publicKeyArg = value(args, ++i, arg);
                        publicKeyArgs.add(publicKeyArg);
                    }
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                    case "--consumer-property" -> {
                        String property = value(args, ++i, arg);
                        int eq = property.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--consumer-property needs NAME=VALUE");
                        }
                        properties.put(property.substring(0, eq), property.substring(eq + 1));
                    }
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            if (bootstrap == null || publicKeyArg == null) {
                throw new IllegalArgumentException("--kafka and --public-key are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("keyledger-verify: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try {
            List<PublicKey> publicKeys = new java.util.ArrayList<>();
            for (String source : publicKeyArgs) {
                if (!"none".equals(source)) {
                    publicKeys.addAll(readKeys(source));
                }
            }
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "keyledger-verify-" + UUID.randomUUID());
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            properties.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                PublishedLedgerVerifier.Report report = new PublishedLedgerVerifier(consumer, topic, publicKeys,
                        timeout).verify();
                out.println(toJson(report));
                return report.valid() ? 0 : 1;
            }
        } catch (Exception e) {
            err.println("keyledger-verify: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        }
    }

    static String toJson(PublishedLedgerVerifier.Report report) {
        ObjectNode json = new ObjectMapper().createObjectNode().put("valid", report.valid())
                .put("records_read", report.recordsRead()).put("events_checked", report.eventsChecked())
                .put("checkpoints_checked", report.checkpointsChecked()).put("duplicates", report.duplicates())
                .put("unchained_records", report.unchainedRecords());
        if (report.firstBreak() != null) {
            json.putObject("first_break").put("position", report.firstBreak().position())
                    .put("stream_id", report.firstBreak().streamId()).put("reason", report.firstBreak().reason());
        }
        return json.toString();
    }

    /** The keys in one source: PEM text (one or several keys) or a JWKS of OKP Ed25519 keys. */
    static List<PublicKey> readKeys(String arg) throws Exception {
        String text = readPem(arg);
        if (text.strip().startsWith("{")) {
            List<PublicKey> keys = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode jwk : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(text).path("keys")) {
                if ("OKP".equals(jwk.path("kty").asText()) && "Ed25519".equals(jwk.path("crv").asText())) {
                    keys.add(io.keyledger.ledger.LedgerKeys.fromX(jwk.path("x").asText()));
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no Ed25519 key in the JWKS at " + arg);
            }
            return keys;
        }
        List<PublicKey> keys = io.keyledger.ledger.LedgerKeys.parseAll(text);
        return keys.isEmpty() ? List.of(CheckpointStatement.publicKey(text)) : keys;
    }

    private static String readPem(String arg) throws Exception {
        if (arg.contains("-----BEGIN")) {
            return arg;
        }
        if (arg.startsWith("http://") || arg.startsWith("https://")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(arg)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("GET " + arg + " answered " + response.statusCode());
            }
            return response.body();
        }
        return Files.readString(Path.of(arg));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
