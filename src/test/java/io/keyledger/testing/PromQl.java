package io.keyledger.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to check that dashboards and alerts query series that exist: the metric names an
 * expression selects and the label matchers on each. Not a parser: it removes strings' insides, range and
 * subquery brackets, grouping clauses and label selectors, and what is left that is not a function, keyword or
 * number is a metric name.
 */
public final class PromQl {

    /** A metric selector: {@code name} and its matchers as {@code label op value} triples. */
    public record Selector(String metric, List<Matcher3> matchers) {
    }

    public record Matcher3(String label, String op, String value) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern
            .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    private PromQl() {
    }

    /** Every metric selector in the expression, in order. */
    public static List<Selector> selectors(String expr) {
        String text = GROUPING.matcher(expr).replaceAll(" ");
        text = text.replaceAll("\\[[^\\]]*]", " "); // ranges and subqueries: [5m], [10m:1m], [$__rate_interval]
        text = text.replaceAll("\\$\\{?[a-zA-Z_]+}?", " "); // Grafana variables outside selectors
        List<Selector> found = new ArrayList<>();
        Matcher m = SELECTOR.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            int after = m.end(1);
            while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            boolean call = m.group(2) == null && after < text.length() && text.charAt(after) == '(';
            boolean number = m.start() > 0
                    && (Character.isDigit(text.charAt(m.start() - 1)) || text.charAt(m.start() - 1) == '.');
            if (call || number || KEYWORDS.contains(name.toLowerCase()) || name.matches("[0-9].*")) {
                continue;
            }
            List<Matcher3> matchers = new ArrayList<>();
            if (m.group(3) != null) {
                Matcher label = MATCHER.matcher(m.group(3));
                while (label.find()) {
                    matchers.add(new Matcher3(label.group(1), label.group(2), label.group(3)));
                }
            }
            found.add(new Selector(name, matchers));
        }
        return found;
    }

    /** The metric names in the expression. */
    public static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        selectors(expr).forEach(s -> names.add(s.metric()));
        return names;
    }

    /**
     * What in the expression the scrape does not have: a metric with no series, a label no series of it carries,
     * or an exact ({@code =}) label value none has. Grafana variables ({@code $x}) and regex matchers are checked
     * for the label only.
     */
    public static Set<String> missingFrom(List<String> scrapeLines, String expr, Set<String> external) {
        Set<String> missing = new LinkedHashSet<>();
        for (Selector selector : selectors(expr)) {
            if (external.contains(selector.metric())) {
                continue;
            }
            List<String> series = scrapeLines.stream().filter(l -> !l.startsWith("#"))
                    .filter(l -> l.startsWith(selector.metric() + " ") || l.startsWith(selector.metric() + "{"))
                    .toList();
            if (series.isEmpty()) {
                missing.add(selector.metric());
                continue;
            }
            for (Matcher3 matcher : selector.matchers()) {
                if (matcher.label().equals("namespace") || matcher.label().equals("pod")
                        || matcher.label().equals("job")) {
                    continue; // added by Prometheus at scrape time, not by the service
                }
                if (series.stream().noneMatch(l -> l.contains(matcher.label() + "=\""))) {
                    missing.add(selector.metric() + "{" + matcher.label() + "}");
                } else if (matcher.op().equals("=") && !matcher.value().contains("$") && series.stream()
                        .noneMatch(l -> l.contains(matcher.label() + "=\"" + matcher.value() + "\""))) {
                    missing.add(selector.metric() + "{" + matcher.label() + "=\"" + matcher.value() + "\"}");
                }
            }
        }
        return missing;
    }
}
