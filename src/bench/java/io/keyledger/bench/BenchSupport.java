package io.keyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the benchmark helpers share: settings, progress lines, JSON output, exact percentiles, and reading /q/metrics. */
final class BenchSupport {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Phase files are one line each, as the run has always written them. */
    static final ObjectMapper COMPACT = new ObjectMapper();

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private BenchSupport() {
    }

    // Held so the levels set in quietLogging() are not lost when the loggers are collected.
    private static final List<Logger> QUIETED = new ArrayList<>();

    /** The Kafka clients the run uses in its own JVM log their configuration at INFO: only warnings reach the console. */
    static void quietLogging() {
        for (String name : List.of("org.apache.kafka", "kafka")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }

    /** A bench run's body. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs a bench's body; a failure is printed as "FAILED: ..."; returns the exit status. */
    static int exitStatus(Body body) {
        try {
            body.run();
            return 0;
        } catch (BenchFailure e) {
            log("FAILED: " + e.getMessage());
        } catch (Exception e) {
            log("FAILED: " + e);
            e.printStackTrace();
        }
        return 1;
    }

    /** A progress line on stderr, after the time of day. */
    static void log(String message) {
        System.err.println(LocalTime.now().format(CLOCK) + "  " + message);
    }

    /** A setting from the environment (BENCH_...), or its default when unset or empty. */
    static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    static int setting(String name, int fallback) {
        return Integer.parseInt(setting(name, String.valueOf(fallback)).trim());
    }

    static void writeLine(Path file, JsonNode value) throws IOException {
        Files.writeString(file, COMPACT.writeValueAsString(value) + "\n");
    }

    /** Deletes a directory and all it holds, if it is there. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("could not delete " + dir + ": " + e.getMessage());
        }
    }

    static void sleepSeconds(double seconds) throws InterruptedException {
        Thread.sleep(Math.round(seconds * 1000));
    }

    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static void writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), value);
    }

    /** Exact percentile (nearest rank) of an unsorted sample; NaN when empty. */
    static double percentile(double[] sortedValues, double percent) {
        if (sortedValues.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sortedValues.length);
        return sortedValues[Math.max(0, Math.min(sortedValues.length - 1, rank - 1))];
    }

    static Map<String, Object> summary(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        Map<String, Object> out = new HashMap<>();
        out.put("count", sorted.length);
        out.put("p50_ms", round(percentile(sorted, 50)));
        out.put("p99_ms", round(percentile(sorted, 99)));
        out.put("p999_ms", round(percentile(sorted, 99.9)));
        out.put("max_ms", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
        return out;
    }

    static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1000.0) / 1000.0;
    }

    /** Where a helper run on its own reads /q/metrics: {@code BENCH_MANAGEMENT_URL}, else the API's base URL. */
    static String managementUrl(String baseUrl) {
        return System.getenv().getOrDefault("BENCH_MANAGEMENT_URL", baseUrl);
    }

    /** The service's Prometheus text from its management interface, or null if it does not answer. */
    static String scrape(HttpClient client, String management) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(management + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Sum of every sample of {@code name} whose labels contain all of {@code labelFragments}
     * (e.g. {@code quantile="0.99"}); NaN when there is none.
     */
    static double sum(String metrics, String name, String... labelFragments) {
        if (metrics == null) {
            return Double.NaN;
        }
        double total = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            String labels = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String fragment : labelFragments) {
                all &= labels.contains(fragment);
            }
            if (!all) {
                continue;
            }
            double value = parse(m.group(3));
            if (Double.isFinite(value)) {
                total += value;
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN; // +Inf, -Inf
        }
    }
}
