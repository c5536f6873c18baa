package io.keyledger.gateways;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.keyledger.testing.Tokens;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real gateways for the tests: the shipped configurations in deploy/gateways, rendered with free ports, run by
 * the real binaries, in front of an echo upstream (a JDK HTTP server answering with the headers it received,
 * one {@code name: value} line each, names lower-cased). A missing binary skips the test with the reason, unless
 * {@code KEYLEDGER_REQUIRE_GATEWAYS=true} (CI, .ci/run) or {@code -Dkeyledger.require-gateways=true}: then it fails.
 */
public final class Gateways {

    static final String REQUIRE_ENV = "KEYLEDGER_REQUIRE_GATEWAYS";
    static final String REQUIRE_PROPERTY = "keyledger.require-gateways";
    static final Path SHIPPED = Path.of("deploy/gateways");

    private Gateways() {
    }

    /** The echo upstream: every request answered 200 with its method, URI and headers. */
    public static HttpServer echo() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            StringBuilder body = new StringBuilder(
                    "method: " + exchange.getRequestMethod() + "\nuri: " + exchange.getRequestURI() + "\n");
            Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            sorted.putAll(exchange.getRequestHeaders());
            sorted.forEach((name, values) -> values
                    .forEach(v -> body.append(name.toLowerCase()).append(": ").append(v).append('\n')));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Lines of the echo's answer that name a header, e.g. {@code x-keyledger-org: acme}. */
    static List<String> headerLines(String echoed, String prefix) {
        return echoed.lines().filter(line -> line.startsWith(prefix.toLowerCase())).toList();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The binary on the PATH (or in /usr/sbin, where Debian puts nginx), or a skip (a failure where required). */
    static String binary(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String reason = name + " is not installed (Debian: apt-get install "
                + ("nginx".equals(name) ? "nginx-light" : name)
                + "); this test runs the shipped deploy/gateways configuration with the real " + name;
        if (Boolean.getBoolean(REQUIRE_PROPERTY) || "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
            Assertions.fail(reason + " (required here: " + REQUIRE_ENV + "=true)");
        }
        Assumptions.abort(reason);
        return null;
    }

    /** A started gateway process, stopped (by its own handle) when closed. */
    public record Running(Process process, int port, Path dir) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }

        public String log() {
            try {
                return Files.readString(dir.resolve("gateway.log"));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    /** deploy/gateways/nginx.conf with the ports given, inside a minimal main configuration; nginx in the foreground. */
    public static Running nginx(int keyledgerPort, int upstreamPort) throws Exception {
        return nginx(keyledgerPort, upstreamPort, java.util.function.UnaryOperator.identity());
    }

    /** The same, with the shipped site changed by {@code edit} first (e.g. a route that requires a scope). */
    static Running nginx(int keyledgerPort, int upstreamPort, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        String nginx = binary("nginx");
        Path dir = Files.createTempDirectory("keyledger-nginx");
        // workers of a root master run as nobody: they must be able to write the temp paths
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        int port = freePort();
        String site = edit.apply(Files.readString(SHIPPED.resolve("nginx.conf")))
                .replace("server keyledger:8080;", "server 127.0.0.1:" + keyledgerPort + ";")
                .replace("server app:8000;", "server 127.0.0.1:" + upstreamPort + ";")
                .replace("listen 8088;", "listen 127.0.0.1:" + port + ";");
        assertRendered(site, "nginx.conf");
        Files.writeString(dir.resolve("keyledger.conf"), site);
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/gateway.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/keyledger.conf;
                }
                """.formatted(dir));
        Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-e", dir.resolve("gateway.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        return awaitListening(new Running(process, port, dir));
    }

    /** deploy/gateways/Caddyfile with the ports given (admin endpoint and automatic HTTPS off); caddy run. */
    static Running caddy(int keyledgerPort, int upstreamPort) throws Exception {
        String caddy = binary("caddy");
        Path dir = Files.createTempDirectory("keyledger-caddy");
        int port = freePort();
        String site = Files.readString(SHIPPED.resolve("Caddyfile")).replace("http://:8089", "http://127.0.0.1:" + port)
                .replace("keyledger:8080", "127.0.0.1:" + keyledgerPort)
                .replace("app:8000", "127.0.0.1:" + upstreamPort);
        assertRendered(site, "Caddyfile");
        Files.writeString(dir.resolve("Caddyfile"), "{\n\tadmin off\n\tauto_https off\n}\n\n" + site);
        ProcessBuilder builder = new ProcessBuilder(caddy, "run", "--config", dir.resolve("Caddyfile").toString(),
                "--adapter", "caddyfile").redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        return awaitListening(new Running(builder.start(), port, dir));
    }

    private static void assertRendered(String config, String name) {
        for (String placeholder : List.of("keyledger:8080", "app:8000", "8088;", ":8089")) {
            Assertions.assertFalse(config.contains(placeholder),
                    name + " still names " + placeholder + ": the test's rendering is stale");
        }
    }

    private static Running awaitListening(Running running) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!running.process().isAlive()) {
                    throw new AssertionError(
                            "gateway exited with " + running.process().exitValue() + ":\n" + running.log());
                }
                try (Socket socket = new Socket("127.0.0.1", running.port())) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | AssertionError e) {
            running.process().destroyForcibly();
            throw e;
        }
        return running;
    }

    /** A new key of {@code org}/{@code name} (created first), optionally expiring; its id and value. */
    record IssuedKey(String id, String value) {
    }

    static IssuedKey issue(String org, String name, Long expiresAt) {
        var created = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body(expiresAt == null
                        ? "{\"description\":\"gw\"}"
                        : "{\"description\":\"gw\",\"expires_at\":" + expiresAt + "}")
                .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, name).then().statusCode(201).extract();
        return new IssuedKey(created.path("id"), created.path("key"));
    }
}
