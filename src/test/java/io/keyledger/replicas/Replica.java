package io.keyledger.replicas;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * One keyledger process started from the packaged jar ({@code java -jar target/quarkus-app/quarkus-run.jar}) in
 * production mode, with its own HTTP and management ports on loopback and its output in a file under
 * {@code target/replicas-it}.
 */
final class Replica {

    final String name;
    final int httpPort;
    final int managementPort;
    final Path log;
    private final Process process;
    private final HttpClient http;

    private Replica(String name, int httpPort, int managementPort, Path log, Process process, HttpClient http) {
        this.name = name;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
        this.http = http;
    }

    /** Launches the jar with {@code environment} on top of ports of its own; does not wait for it to be ready. */
    static Replica launch(String name, Path jar, Path logDir, Map<String, String> environment, HttpClient http) {
        int httpPort = freePort();
        int managementPort = freePort();
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + "-" + System.currentTimeMillis() + ".log");
            List<String> command = new ArrayList<>(
                    List.of(javaExecutable(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
            builder.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
            Process process = builder.start();
            // should the test JVM itself be stopped (a fork timeout, Ctrl-C), its replicas go with it
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-replica-" + name));
            return new Replica(name, httpPort, managementPort, log, process, http);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start replica " + name, e);
        }
    }

    /** Waits until readiness answers 200; fails at once, with the end of the log, if the process exits. */
    Replica awaitReady(Duration deadline) {
        await("replica " + name + " ready").atMost(deadline).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "replica " + name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail(40));
            }
            try {
                return get(management("/q/health/ready"), Duration.ofSeconds(2)).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no lock released by hand; the kernel closes its sockets. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replica " + name + " (pid " + process.pid() + ") did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM, as a rolling restart sends it: Quarkus shuts down gracefully (its advisory locks are released with its
     * connections). Falls back to {@link #kill()} if it has not exited within {@code deadline}.
     */
    void stop(Duration deadline) {
        process.destroy();
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Teardown for a test's replicas: kills every one still running. */
    static void killAll(Iterable<Replica> replicas) {
        for (Replica replica : replicas) {
            if (replica.alive()) {
                replica.kill();
            }
        }
    }

    /** One API call; {@code bearer} and {@code body} may be null. */
    HttpResponse<String> call(String method, String path, String bearer, String body, Duration timeout)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path)).timeout(timeout);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A gauge or counter from the Prometheus scrape (the first series of that name), if the replica answers. */
    OptionalDouble metric(String metricName) {
        try {
            HttpResponse<String> scrape = get(management("/q/metrics"), Duration.ofSeconds(5));
            if (scrape.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            return scrape.body().lines()
                    .filter(line -> line.startsWith(metricName + " ") || line.startsWith(metricName + "{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /** The sum of every series of a metric whose labels contain {@code labelFilter} (e.g. {@code result="valid"}). */
    double metricSum(String metricName, String labelFilter) {
        try {
            HttpResponse<String> scrape = get(management("/q/metrics"), Duration.ofSeconds(5));
            return scrape.body().lines().filter(line -> line.startsWith(metricName + "{") && line.contains(labelFilter))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this replica's relay holds the leader lock (keyledger_relay_leader = 1). */
    boolean isLeader() {
        OptionalDouble leader = metric("keyledger_relay_leader");
        return leader.isPresent() && leader.getAsDouble() == 1.0;
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(URI uri, Duration timeout) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ", http " + httpPort + ", management " + managementPort + ")";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
