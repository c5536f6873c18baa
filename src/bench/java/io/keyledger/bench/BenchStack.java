package io.keyledger.bench;

import io.keyledger.bench.Processes.Child;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What both bench runs start: a single-node Kafka (the local stack's launcher, {@code io.keyledger.testing.LocalStack},
 * PostgreSQL skipped) and the packaged service, {@code target/quarkus-app/quarkus-run.jar}, each a child process with
 * its log under {@code logs/}.
 */
final class BenchStack {

    /** The line LocalStack prints when Kafka takes connections. */
    private static final String KAFKA_READY = "keyledger local stack ready";

    private final Path logs;
    private final List<String> serviceJavaOptions;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final HttpClient http = BenchSupport.http();
    private Child kafka;
    private Child service;
    private long launchedAt;

    BenchStack(Path logs, String serviceJavaOptions) {
        this.logs = logs;
        this.serviceJavaOptions = Arrays.stream(serviceJavaOptions.trim().split("\\s+")).filter(o -> !o.isEmpty())
                .toList();
    }

    /** The JDK this JVM runs on: the one deploy/jdk.sh picked, for the service and the helpers alike. */
    String java() {
        return java;
    }

    long servicePid() {
        return service == null ? 0 : service.pid();
    }

    long kafkaPid() {
        return kafka == null ? 0 : kafka.pid();
    }

    Child service() {
        return service;
    }

    /** When the last service start was launched (epoch ms). */
    long launchedAt() {
        return launchedAt;
    }

    /** Starts Kafka on {@code port} (its controller on the next port) with its data in {@code dataDir}; waits until it is ready. */
    void startKafka(int port, Path dataDir, String label) throws InterruptedException, IOException {
        Path log = logs.resolve("kafka" + label + ".log");
        List<String> command = List.of(java, "-Xmx512m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), "io.keyledger.testing.LocalStack");
        kafka = Processes.start("kafka", command, Map.of("KEYLEDGER_EXTERNAL_PG", "1", "KEYLEDGER_LOCAL_KAFKA_PORT",
                String.valueOf(port), "KEYLEDGER_LOCAL_DATA_DIR", dataDir.toString()), log);
        for (int i = 0; i < 600; i++) {
            if (Files.exists(log) && Files.readString(log).contains(KAFKA_READY)) {
                return;
            }
            if (!kafka.alive()) {
                System.err.println(Processes.tail(log, 20));
                throw new BenchFailure("Kafka exited");
            }
            Thread.sleep(200);
        }
        throw new BenchFailure("Kafka not ready in 120 s");
    }

    void stopKafka(int seconds) {
        if (kafka != null) {
            kafka.stop(seconds);
            kafka = null;
        }
    }

    /**
     * What every bench start of the service is told: its database and broker, the run's JWT public key and issuer, its
     * pepper, and where it listens (loopback only). Each run adds its own settings.
     */
    static Map<String, String> serviceEnvironment(Database postgres, String db, String bootstrap, Path jwtPublicKey,
            String issuer, String pepper, int port, int managementPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/" + db);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL",
                "postgresql://" + postgres.host() + ":" + postgres.port() + "/" + db);
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwtPublicKey.toString());
        env.put("MP_JWT_VERIFY_ISSUER", issuer);
        env.put("KEYLEDGER_KEYS_HASH_PEPPER", pepper);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return env;
    }

    /** A pepper for one run: {@code bench-only-pepper-} and {@code bytes} random bytes in hex. */
    static String pepper(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return "bench-only-pepper-" + HexFormat.of().formatHex(random);
    }

    /** Launches the service with the run's environment plus {@code env}; {@link #awaitReady} waits for it. */
    Child startService(String label, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(serviceJavaOptions);
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        launchedAt = System.currentTimeMillis();
        service = Processes.start("service", command, env, logs.resolve("service-" + label + ".log"));
        return service;
    }

    /** Waits for /q/health/ready to answer 200; returns when it did (epoch ms). */
    long awaitReady(String managementUrl, String label) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        for (int i = 0; i < 2400; i++) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.currentTimeMillis();
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!service.alive()) {
                System.err.println(Processes.tail(logs.resolve("service-" + label + ".log"), 20));
                throw new BenchFailure("service exited");
            }
            Thread.sleep(50);
        }
        throw new BenchFailure("service not ready in 120 s");
    }

    void stopService() {
        if (service != null) {
            service.stop(30);
            service = null;
        }
    }
}
