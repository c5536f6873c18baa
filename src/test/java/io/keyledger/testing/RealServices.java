package io.keyledger.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Starts the real services the suite runs against: PostgreSQL from zonky's embedded binaries
 * and a single combined-node KRaft Kafka broker, both in-process, so {@code ./mvnw verify}
 * needs nothing but a JDK.
 *
 * <p>To use servers of your own instead, set {@code KEYLEDGER_TEST_JDBC_URL} (plus
 * {@code KEYLEDGER_TEST_DB_USER}/{@code KEYLEDGER_TEST_DB_PASSWORD}) and/or
 * {@code KEYLEDGER_TEST_KAFKA_BOOTSTRAP}. An external database must be empty or keyledger's own.
 */
public class RealServices implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;
    private KafkaClusterTestKit kafka;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.putAll(postgresConfig());
        config.putAll(startKafka());
        return config;
    }

    private Map<String, String> postgresConfig() {
        String jdbcUrl = System.getenv("KEYLEDGER_TEST_JDBC_URL");
        String user = envOr("KEYLEDGER_TEST_DB_USER", "postgres");
        String password = envOr("KEYLEDGER_TEST_DB_PASSWORD", "");
        if (jdbcUrl == null) {
            try {
                EmbeddedDatabase.dataDirectory = java.nio.file.Files.createTempDirectory("keyledger-test-pg").toFile();
                postgres = EmbeddedDatabase.start(0);
                EmbeddedDatabase.port = postgres.getPort();
                EmbeddedDatabase.current = postgres;
            } catch (Exception e) {
                throw new IllegalStateException("could not start embedded PostgreSQL", e);
            }
            jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.reactive.url", jdbcUrl.substring("jdbc:".length()));
        config.put("quarkus.datasource.username", user);
        config.put("quarkus.datasource.password", password);
        return config;
    }

    private Map<String, String> startKafka() {
        String bootstrap = System.getenv("KEYLEDGER_TEST_KAFKA_BOOTSTRAP");
        if (bootstrap == null) {
            kafka = KafkaBroker.start();
            KafkaBroker.current = kafka;
            bootstrap = kafka.bootstrapServers();
        }
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
            if (EmbeddedDatabase.current != null) {
                EmbeddedDatabase.current.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not stop test services", e);
        }
    }

    /** The in-process broker, or null when the suite runs against an external Kafka. */
    public static KafkaClusterTestKit embeddedBroker() {
        return KafkaBroker.current;
    }

    /** Simulates a Kafka outage: the broker stops, the controller stays, the port is released. */
    public static void stopBroker() {
        KafkaBroker.current.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Brings the broker back on the same listener after {@link #stopBroker()}. */
    public static void startBroker() {
        KafkaBroker.current.brokers().values().forEach(broker -> broker.startup());
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** True when the suite runs its own PostgreSQL (and so can stop and start it). */
    public static boolean embeddedDatabase() {
        return EmbeddedDatabase.current != null;
    }

    /** Simulates a database outage: the server stops; its data directory and port are kept. */
    public static void stopPostgres() {
        try {
            EmbeddedDatabase.current.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Brings the same database back on the same port after {@link #stopPostgres()}. */
    public static void startPostgres() {
        try {
            EmbeddedDatabase.current = EmbeddedDatabase.start(EmbeddedDatabase.port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The embedded PostgreSQL, restartable on its port with its data. */
    static final class EmbeddedDatabase {
        static volatile EmbeddedPostgres current;
        static volatile java.io.File dataDirectory;
        static volatile int port;

        private EmbeddedDatabase() {
        }

        static EmbeddedPostgres start(int onPort) throws java.io.IOException {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            if (onPort > 0) {
                builder.setPort(onPort);
            }
            return builder.start();
        }
    }

    /** The in-process broker: one combined controller+broker node. */
    public static final class KafkaBroker {

        static volatile KafkaClusterTestKit current;

        private KafkaBroker() {
        }

        public static KafkaClusterTestKit start() {
            try {
                KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("auto.create.topics.enable", "true").setConfigProp("num.partitions", "3")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
                return kit;
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded Kafka broker", e);
            }
        }
    }
}
