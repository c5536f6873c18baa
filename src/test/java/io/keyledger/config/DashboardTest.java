package io.keyledger.config;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Management;
import io.keyledger.testing.PromQl;
import io.keyledger.testing.Traffic;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code k8s/observability} queries only series the running service exports: every
 * metric name (and exact label value) in every panel's queries is in a real scrape taken after some traffic. The
 * scrape is also written to {@code target/observability/scrape.txt}, which deploy/observability/render.py draws.
 */
@QuarkusTest
class DashboardTest {

    static final Path DASHBOARD = Path.of("k8s", "observability", "keyledger-dashboard.json");

    /** The panels issue 15 asks for, each found by a metric its queries must use. */
    private static final Map<String, String> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("request rate, errors and p99 per operation", "http_server_requests_seconds_bucket");
        REQUIRED.put("keys created", "keyledger_keys_created_total");
        REQUIRED.put("verifications by result", "keyledger_keys_verification_results_total");
        REQUIRED.put("relay publication lag", "keyledger_relay_publication_lag_seconds");
        REQUIRED.put("relay checkpoint", "keyledger_relay_checkpoint_position");
        REQUIRED.put("usage applied", "keyledger_usage_records_applied_total");
        REQUIRED.put("usage skipped", "keyledger_usage_records_skipped_total");
        REQUIRED.put("usage dead-lettered", "keyledger_usage_records_dead_lettered_total");
        REQUIRED.put("consumer lag", "kafka_consumer_fetch_manager_records_lag_max");
        REQUIRED.put("cache hit ratio", "keyledger_keys_cache_requests_total");
        REQUIRED.put("rate-limit rejections", "keyledger_rate_limit_rejections_total");
        REQUIRED.put("JVM memory", "jvm_memory_used_bytes");
        REQUIRED.put("GC", "jvm_gc_pause_seconds_count");
    }

    @Test
    void everyPanelQuery_namesMetricsTheServiceExports_afterTraffic() throws Exception {
        Traffic.some();
        List<String> scrape = scrapeAfterAGc();
        Path out = Path.of("target", "observability", "scrape.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", scrape) + "\n", StandardCharsets.UTF_8);

        Map<String, String> queries = queries();
        assertFalse(queries.isEmpty(), "no panel queries in " + DASHBOARD);
        TreeSet<String> missing = new TreeSet<>();
        Set<String> queried = new TreeSet<>();
        queries.forEach((panel, expr) -> {
            Set<String> names = PromQl.metricNames(expr);
            assertFalse(names.isEmpty(), "panel '" + panel + "' queries no metric: " + expr);
            queried.addAll(names);
            PromQl.missingFrom(scrape, expr, Set.of()).forEach(m -> missing.add(m + "  (panel '" + panel + "')"));
        });
        assertEquals(new TreeSet<>(), missing, "queried by the dashboard but not exported");
        REQUIRED.forEach(
                (panel, metric) -> assertTrue(queried.contains(metric), "no panel for " + panel + " (" + metric + ")"));
    }

    /** jvm_gc_pause_* appears after the first collection; a small service may not have had one yet. */
    private static List<String> scrapeAfterAGc() {
        List<String> scrape = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            System.gc(); // the test runs in the application's JVM
            scrape.clear();
            scrape.addAll(Management.metrics().lines().toList());
            return scrape.stream().anyMatch(l -> l.startsWith("jvm_gc_pause_seconds_count"));
        });
        return scrape;
    }

    /** "panel title #refId" to expression, for every target of every panel (rows' nested panels too). */
    static Map<String, String> queries() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        Map<String, String> queries = new LinkedHashMap<>();
        collect(dashboard.getJsonArray("panels", new JsonArray()), queries);
        return queries;
    }

    private static void collect(JsonArray panels, Map<String, String> queries) {
        for (Object p : panels) {
            JsonObject panel = (JsonObject) p;
            for (Object t : panel.getJsonArray("targets", new JsonArray())) {
                JsonObject target = (JsonObject) t;
                queries.put(panel.getString("title") + " #" + target.getString("refId"), target.getString("expr"));
            }
            collect(panel.getJsonArray("panels", new JsonArray()), queries);
        }
    }
}
