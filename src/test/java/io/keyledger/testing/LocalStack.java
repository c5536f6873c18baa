package io.keyledger.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * The services {@code deploy/local/run} needs, in one JVM and on fixed ports, with their data
 * kept under {@code target/local} across restarts: PostgreSQL from zonky's embedded binaries and
 * a single combined controller+broker KRaft Kafka node.
 *
 * <p>{@link org.apache.kafka.common.test.KafkaClusterTestKit} always binds random ports and formats
 * fresh directories, so Kafka runs here as a plain {@link KafkaRaftServer}, formatted once with
 * {@link StorageTool} when its {@code meta.properties} is absent.
 *
 * <p>Environment: {@code KEYLEDGER_LOCAL_PG_PORT} (55432), {@code KEYLEDGER_LOCAL_KAFKA_PORT} (59092;
 * the controller listens on the next port), {@code KEYLEDGER_LOCAL_DATA_DIR} ({@code target/local}),
 * and {@code KEYLEDGER_EXTERNAL_PG=1} / {@code KEYLEDGER_EXTERNAL_KAFKA=1} to skip a service that
 * already runs elsewhere. Development only: no authentication, loopback only.
 */
public final class LocalStack {

    /** The line {@code deploy/local/run} waits for. */
    static final String READY = "keyledger local stack ready";

    // Held so the levels set in quietLogging() are not lost when the loggers are collected.
    private static final List<Logger> QUIETED = new ArrayList<>();

    private final Path dataDir;
    // Start and stop hold the same lock, so a signal during start-up never orphans a half-started service.
    private EmbeddedPostgres postgres;
    private KafkaRaftServer kafka;
    private boolean stopping;

    private LocalStack(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static void main(String[] args) throws Exception {
        // slf4j goes to jboss-logmanager on this classpath; it must own java.util.logging from the start
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        quietLogging();
        LocalStack stack = new LocalStack(Path.of(envOr("KEYLEDGER_LOCAL_DATA_DIR", "target/local")).toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-shutdown"));

        List<String> summary = new ArrayList<>();
        try {
            if (!flag("KEYLEDGER_EXTERNAL_PG")) {
                int port = port("KEYLEDGER_LOCAL_PG_PORT", 55432);
                stack.startPostgres(port);
                summary.add("postgres=jdbc:postgresql://localhost:" + port + "/postgres (user postgres, no password)");
            }
            if (!flag("KEYLEDGER_EXTERNAL_KAFKA")) {
                int port = port("KEYLEDGER_LOCAL_KAFKA_PORT", 59092);
                stack.startKafka(port, port + 1);
                summary.add("kafka=localhost:" + port);
            }
        } catch (PortInUse e) {
            System.err.println("local stack failed to start: " + e.getMessage());
            System.exit(1); // runs the shutdown hook, which stops whatever did start
        } catch (Exception e) {
            System.err.println("local stack failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println(
                READY + ": " + (summary.isEmpty() ? "nothing to start (both external)" : String.join(", ", summary))
                        + "; data in " + stack.dataDir);
        System.out.flush();
        stopped.await();
    }

    private synchronized void startPostgres(int port) throws IOException {
        if (stopping) {
            return;
        }
        requireFree(port, "PostgreSQL (KEYLEDGER_LOCAL_PG_PORT)",
                "If a previous local stack was killed, its PostgreSQL may still run: its pid is the first line of "
                        + dataDir.resolve("pg/postmaster.pid") + ".");
        Path pgData = dataDir.resolve("pg");
        Files.createDirectories(pgData);
        postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).setServerConfig("listen_addresses", "localhost").start();
        System.out.println("postgres listening on localhost:" + port + ", data in " + pgData);
    }

    private synchronized void startKafka(int brokerPort, int controllerPort) throws IOException {
        if (stopping) {
            return;
        }
        requireFree(brokerPort, "Kafka (KEYLEDGER_LOCAL_KAFKA_PORT)", "");
        requireFree(controllerPort, "the Kafka controller (KEYLEDGER_LOCAL_KAFKA_PORT + 1)", "");
        Path kafkaDir = dataDir.resolve("kafka");
        Path logDir = kafkaDir.resolve("data");
        Files.createDirectories(logDir);

        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.setProperty("listeners",
                "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toString());
        // the same broker settings the test suite's embedded broker uses
        props.setProperty("auto.create.topics.enable", "true");
        props.setProperty("num.partitions", "3");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(kafkaDir, props);
        }
        kafka = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        kafka.startup();
        System.out.println("kafka listening on localhost:" + brokerPort + " (controller " + controllerPort
                + "), data in " + logDir);
    }

    /** What {@code kafka-storage.sh format} does, once, for a new data directory. */
    private static void format(Path kafkaDir, Properties props) throws IOException {
        Path config = kafkaDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by io.keyledger.testing.LocalStack to format the storage; not read at start-up");
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        int status = StorageTool.execute(
                new String[]{"format", "--cluster-id", clusterId, "--config", config.toString()},
                new PrintStream(System.out, true));
        if (status != 0) {
            throw new IllegalStateException(
                    "formatting the Kafka storage in " + kafkaDir + " failed (exit " + status + ")");
        }
    }

    /** Kafka first (it may still flush to disk), then PostgreSQL; each attempted even if the other fails. */
    private synchronized void stop() {
        stopping = true;
        if (kafka != null) {
            try {
                kafka.shutdown();
                kafka.awaitShutdown();
                System.out.println("kafka stopped");
            } catch (RuntimeException e) {
                System.err.println("kafka did not stop cleanly: " + e);
            }
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
                System.out.println("postgres stopped");
            } catch (IOException | RuntimeException e) {
                System.err.println("postgres did not stop cleanly: " + e);
            }
            postgres = null;
        }
        System.out.flush();
    }

    private static void requireFree(int port, String what, String hint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
        } catch (IOException expected) {
            return;
        }
        throw new PortInUse(
                "port " + port + " for " + what + " is already in use. " + hint + (hint.isEmpty() ? "" : " ")
                        + "Choose another port or use the running service instead" + " (see deploy/local/README.md).");
    }

    /** A start-up failure whose message says it all: no stack trace. */
    private static final class PortInUse extends RuntimeException {
        PortInUse(String message) {
            super(message, null, false, false);
        }
    }

    /** Kafka and zonky log at INFO through slf4j (jboss-logmanager here); keep warnings and errors only. */
    private static void quietLogging() {
        for (String name : new String[]{"kafka", "org.apache.kafka", "state.change.logger", "io.zonky"}) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }

    private static int port(String env, int fallback) {
        String value = envOr(env, String.valueOf(fallback));
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(env + " must be a port number, was '" + value + "'");
    }

    private static boolean flag(String env) {
        String value = System.getenv(env);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
