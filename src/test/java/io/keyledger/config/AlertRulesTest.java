package io.keyledger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Management;
import io.keyledger.testing.PromQl;
import io.keyledger.testing.Traffic;
import io.quarkus.test.junit.QuarkusTest;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every keyledger metric (and label value) the PrometheusRule in {@code k8s/observability} alerts on is one the
 * running service exports: a renamed metric would otherwise leave an alert that can never fire. Every alert issue
 * 15 asks for exists, and every metric any alert names (HTTP, Kafka consumer, JVM too) is in a scrape taken after
 * traffic, except the few that come from elsewhere ({@link #EXTERNAL}).
 */
@QuarkusTest
class AlertRulesTest {

    private static final Path RULES = Path.of("k8s", "observability", "prometheusrule.yaml");
    private static final Pattern SELECTOR = Pattern.compile("(keyledger_[a-z0-9_]+)(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*=\\s*\"([^\"]*)\"");
    /** Metrics an alert may use that keyledger does not export: kube-state-metrics' view of the Deployment. */
    private static final Set<String> EXTERNAL = Set.of("kube_deployment_status_replicas_unavailable");

    private static final List<String> REQUIRED_ALERTS = List.of("KeyledgerRelayStalled", "KeyledgerPublicationLagHigh",
            "KeyledgerUsageDeadLetters", "KeyledgerUsageConsumerLagGrowing", "KeyledgerHttp5xx",
            "KeyledgerVerificationSlow", "KeyledgerReplicaNotReady");

    @Test
    void everyAlertExpression_namesOnlyMetricsTheServiceExportsAfterTraffic_orKubeStateMetrics() throws Exception {
        Traffic.some();
        List<String> scrape = Management.metrics().lines().toList();
        TreeSet<String> missing = new TreeSet<>();
        List<String> alerts = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            String expr = String.valueOf(rule.get("expr"));
            alerts.add(String.valueOf(rule.get("alert")));
            assertFalse(PromQl.metricNames(expr).isEmpty(), rule.get("alert") + " names no metric: " + expr);
            PromQl.missingFrom(scrape, expr, EXTERNAL).forEach(m -> missing.add(m + "  (" + rule.get("alert") + ")"));
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertTrue(annotations != null && String.valueOf(annotations.get("runbook")).length() > 40,
                    rule.get("alert") + " has no runbook text");
        }
        assertTrue(alerts.containsAll(REQUIRED_ALERTS), "alerts " + alerts + " lack some of " + REQUIRED_ALERTS);
        assertEquals(new TreeSet<>(), missing, "alerted on but not exported");
    }

    @Test
    void everyAlertExpression_namesMetricsTheServiceExports() throws Exception {
        Fixtures.createServiceAccount(Fixtures.newOrg(), "alerted");
        List<String> scrape = Management.metrics().lines().filter(l -> !l.startsWith("#")).toList();

        List<String> expressions = expressions();
        assertFalse(expressions.isEmpty(), "no alert rules in " + RULES);
        TreeSet<String> missing = new TreeSet<>();
        int selectors = 0;
        for (String expr : expressions) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                selectors++;
                String metric = selector.group(1);
                List<String> series = scrape.stream()
                        .filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{")).toList();
                if (series.isEmpty()) {
                    missing.add(metric);
                    continue;
                }
                if (selector.group(3) != null) {
                    Matcher label = MATCHER.matcher(selector.group(3));
                    while (label.find()) {
                        String wanted = label.group(1) + "=\"" + label.group(2) + "\"";
                        if (series.stream().noneMatch(l -> l.contains(wanted))) {
                            missing.add(metric + "{" + wanted + "}");
                        }
                    }
                }
            }
        }
        assertTrue(selectors >= 3, "suspiciously few keyledger metrics in the alert rules: " + expressions);
        assertEquals(new TreeSet<>(), missing, "alerted on but not exported");
    }

    private static List<String> expressions() throws Exception {
        return rules().stream().map(r -> String.valueOf(r.get("expr"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws Exception {
        List<Map<String, Object>> expressions = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(RULES, StandardCharsets.UTF_8)) {
            Map<String, Object> rule = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(reader);
            Map<String, Object> spec = (Map<String, Object>) rule.get("spec");
            for (Object group : (List<Object>) spec.get("groups")) {
                for (Object r : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                    expressions.add((Map<String, Object>) r);
                }
            }
        }
        return expressions;
    }
}
