package io.keyledger.bench;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark helpers share: JSON output, exact percentiles, and reading /q/metrics. */
final class BenchSupport {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private BenchSupport() {
    }

    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
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

    /**
     * The service's Prometheus text, or null if it does not answer. Metrics are on the management port:
     * {@code BENCH_MANAGEMENT_URL} (set by deploy/bench/run), else {@code baseUrl}.
     */
    static String scrape(HttpClient client, String baseUrl) {
        String management = System.getenv().getOrDefault("BENCH_MANAGEMENT_URL", baseUrl);
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
