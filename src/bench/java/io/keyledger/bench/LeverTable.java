package io.keyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The A/B table of deploy/bench/levers: one row per variant (a result.json of a BENCH_PHASES=hot run, named after the
 * variant), with the service's CPU per request in each phase, its ratio to the no-op endpoint's in the same run, the
 * rates, peak RSS and the start time. The first file is the baseline; the last column is the change in create CPU.
 *
 * <p>Usage: {@code LeverTable <dir>} (the files {@code <dir>/<variant>.json}, in the order {@code <dir>/order.txt}
 * gives).
 */
public final class LeverTable {

    private static final String[] PHASES = {"noop", "get", "keyget", "verify", "authz", "create"};

    private LeverTable() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> lines = table(dir, Files.readAllLines(dir.resolve("order.txt")));
        lines.forEach(System.out::println);
        Files.write(dir.resolve("levers.md"), lines);
    }

    static List<String> table(Path dir, List<String> variants) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("| variant | no-op µs | get µs (× no-op) | API-key GET µs (×) | verify µs (×) | check µs (×) "
                + "| create µs | get /s | create /s | RSS peak MB | start s |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String variant : variants) {
            if (variant.isBlank()) {
                continue;
            }
            Path file = dir.resolve(variant.trim() + ".json");
            if (!Files.exists(file)) {
                lines.add("| " + variant + " | (no result: the run failed) |||||||||");
                continue;
            }
            JsonNode result = BenchSupport.JSON.readTree(Files.readString(file));
            JsonNode cpu = result.path("service_cpu_us_per_request");
            double noop = cpu.path("noop").asDouble(Double.NaN);
            StringBuilder row = new StringBuilder("| ").append(variant).append(" | ").append(one(noop));
            for (String phase : PHASES) {
                if (phase.equals("noop")) {
                    continue;
                }
                double us = cpu.path(phase).asDouble(Double.NaN);
                row.append(" | ").append(one(us));
                if (!phase.equals("create")) {
                    row.append(String.format(Locale.ROOT, " (%.2f×)", us / noop));
                }
            }
            JsonNode http = result.path("http");
            row.append(" | ").append(whole(lastRate(http, "get_"))).append(" | ")
                    .append(whole(lastRate(http, "create_"))).append(" | ")
                    .append(whole(result.path("memory").path("peak_mb").asDouble(Double.NaN))).append(" | ")
                    .append(one(result.path("start").path("cold_ready_s").asDouble(Double.NaN))).append(" |");
            lines.add(row.toString());
        }
        return lines;
    }

    /** The rate of the phase {@code prefix<conns>} at the highest connection count the run had. */
    private static double lastRate(JsonNode http, String prefix) {
        double rate = Double.NaN;
        int conns = -1;
        for (var names = http.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[0-9]+")
                    && Integer.parseInt(name.substring(prefix.length())) > conns) {
                conns = Integer.parseInt(name.substring(prefix.length()));
                rate = http.path(name).path("rps").asDouble(Double.NaN);
            }
        }
        return rate;
    }

    private static String one(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String whole(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
