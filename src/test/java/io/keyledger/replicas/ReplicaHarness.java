package io.keyledger.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyledger.testing.RealServices;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What every replicas IT sets up the same way: the packaged jar, the topic, the client, the replicas' settings, key creation. */
final class ReplicaHarness {

    static final String ISSUER = "https://keyledger.test";
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long a replica may take to start (a JVM on a busy machine, Flyway, the broker). */
    static final Duration READY = Duration.ofSeconds(180);

    // held so the levels set in quietLogging() are not lost when the loggers are collected
    private static final List<Logger> QUIETED = new ArrayList<>();

    private ReplicaHarness() {
    }

    /** The jar {@code mvn package} built (system property keyledger.it.jar); fails the test when it is missing. */
    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("keyledger.it.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        assertTrue(Files.exists(jar), "the packaged jar " + jar + " (run ./mvnw package first)");
        return jar;
    }

    /** A test's own folder for its replicas' logs, beside the one of ReplicasIT (system property keyledger.it.logs). */
    static Path workDirectory(String name) throws IOException {
        Path work = Path.of(System.getProperty("keyledger.it.logs", "target/replicas-it")).resolveSibling(name)
                .toAbsolutePath();
        Files.createDirectories(work);
        return work;
    }

    /** Starts the RealServices (PostgreSQL, Kafka) and creates the relay's topic; answers their settings. */
    static Map<String, String> startWithTopic(RealServices services, String topic) throws Exception {
        Map<String, String> serviceConfig = services.start();
        createTopic(serviceConfig.get("kafka.bootstrap.servers"), topic);
        return serviceConfig;
    }

    /** Teardown: kills the replicas still running, then stops the services (when they were created). */
    static void stopAll(List<Replica> replicas, RealServices services) {
        Replica.killAll(replicas);
        if (services != null) {
            services.stop();
        }
    }

    /** The relay's topic, three partitions, on the test broker. */
    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A reader of the topic's every partition, without a group (the test moves it by hand); seek before polling. */
    static KafkaConsumer<String, String> topicReader(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.assign(partitions(consumer, topic));
        return consumer;
    }

    /** The topic's partitions, in order. */
    static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static HttpClient http(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** The settings every replica of a RealServices run shares: its database, the broker, the test issuer's JWT key. */
    static Map<String, String> serviceEnvironment(Map<String, String> serviceConfig, String bootstrap) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", serviceConfig.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", serviceConfig.get("quarkus.datasource.reactive.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", serviceConfig.get("quarkus.datasource.username"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", serviceConfig.get("quarkus.datasource.password"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", testResource("test-jwt/test-only-public-key.pem"));
        env.put("MP_JWT_VERIFY_ISSUER", ISSUER);
        return env;
    }

    /** A JDBC connection to the RealServices database the replicas share. */
    static Connection connect(Map<String, String> serviceConfig) throws SQLException {
        return DriverManager.getConnection(serviceConfig.get("quarkus.datasource.jdbc.url"),
                serviceConfig.get("quarkus.datasource.username"), serviceConfig.get("quarkus.datasource.password"));
    }

    /** A fresh secret per run (peppers live outside the database; production refuses the test-only one). */
    static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String testResource(String path) {
        return Path.of("src/test/resources", path).toAbsolutePath().toString();
    }

    /** {@code POST} a key for the account behind {@code keyPath}; asserts the 201 and answers its body. */
    static JsonNode createKey(Replica replica, String keyPath, String admin, String description, Duration timeout)
            throws IOException {
        HttpResponse<String> created = replica.call("POST", keyPath, admin, "{\"description\":\"" + description + "\"}",
                timeout);
        assertEquals(201, created.statusCode(), () -> "create key on " + replica.name + ": " + created.body());
        return JSON.readTree(created.body());
    }

    /** The nearest-rank percentile of sorted values (0 when there are none). */
    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** How long an IT's outcome may take (a restart, a relay catching up, a checkpoint) before it fails. */
    static final Duration OUTCOME = Duration.ofSeconds(90);
    /** How long one call to a replica may take on a busy box. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * An IT's own PostgreSQL and broker ({@link RealServices}) with the relay's topic, started before its tests, and the
     * replicas it launches there from the packaged jar; after its tests, the replicas are killed and the services
     * stopped. Registered on a static field with {@code @RegisterExtension}.
     */
    static final class Stack implements BeforeAllCallback, AfterAllCallback {

        final String topic;
        private final String name;
        private final RealServices services = new RealServices();
        private final List<Replica> replicas = new ArrayList<>();
        private final HttpClient http = http(Duration.ofSeconds(10));
        private Path jar;
        private Path work;
        private Map<String, String> serviceConfig;

        /** Logs go to the folder {@code name}, beside ReplicasIT's. */
        Stack(String name, String topic) {
            this.name = name;
            this.topic = topic;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            jar = packagedJar();
            work = workDirectory(name);
            serviceConfig = startWithTopic(services, topic);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            stopAll(replicas, services);
        }

        Path jar() {
            return jar;
        }

        /** The folder of the replicas' logs, for the test's own files too. */
        Path work() {
            return work;
        }

        String bootstrap() {
            return serviceConfig.get("kafka.bootstrap.servers");
        }

        /** Every replica launched so far, in order. */
        List<Replica> replicas() {
            return replicas;
        }

        /**
         * Launches the jar on the services and the topic with {@code settings} on top, logging plain text (production
         * logs JSON); answers it once it is ready.
         */
        Replica launch(String replica, Map<String, String> settings) {
            Map<String, String> env = serviceEnvironment(serviceConfig, bootstrap());
            env.put("KEYLEDGER_RELAY_TOPIC", topic);
            env.putAll(settings);
            env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            Replica launched = Replica.launch(replica, jar, work, env, http);
            replicas.add(launched);
            return launched.awaitReady(READY);
        }

        /** A JDBC connection to the services' database. */
        Connection connect() throws SQLException {
            return ReplicaHarness.connect(serviceConfig);
        }
    }

    /** Kafka and zonky log at INFO into this test's output; keep their warnings and errors only. */
    static void quietLogging() {
        for (String name : new String[]{"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"}) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }
}
