package io.keyledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the phase files the run wrote ({@code <dir>/phases/*.json}) into
 * {@code <dir>/result.json} and prints one table: every figure beside its ceiling, every
 * ratio, and each target of the issue as PASS or MISS.
 *
 * <p>Usage: {@code BenchReport <bench-dir> <conns...>}, e.g. {@code BenchReport target/bench 16 64}.
 * The targets are checked at the highest connection count.
 */
public final class BenchReport {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path phases;
    private final List<String> lines = new ArrayList<>();
    private final ArrayNode targets = NODES.arrayNode();

    /** The verification phases, by wrk mode: what every gateway request costs, one way or another. */
    static final List<String> VERIFICATION_MODES = List.of("keyget", "verify", "authz");

    static String verificationLabel(String mode) {
        return switch (mode) {
            case "keyget" -> "API-key GET";
            case "verify" -> "POST /api-keys/verify";
            default -> "GET /api/v2/authz";
        };
    }

    private BenchReport(Path dir) {
        this.phases = dir.resolve("phases");
    }

    public static void main(String[] args) throws Exception {
        List<Integer> conns = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            conns.add(Integer.parseInt(args[i]));
        }
        write(Path.of(args[0]), conns);
    }

    /** Writes result.json, table.txt and chart.png from the phase files under {@code dir}, and prints the table. */
    static void write(Path dir, List<Integer> conns) throws Exception {
        BenchReport report = new BenchReport(dir);
        ObjectNode result = report.build(conns);
        BenchSupport.writeJson(dir.resolve("result.json"), result);
        report.lines.forEach(System.out::println);
        Files.write(dir.resolve("table.txt"), report.lines);
        Path chart = dir.resolve("chart.png");
        try {
            BenchChart.write(result, conns, chart);
        } catch (Exception | LinkageError e) { // a missing font or AWT library must not lose the table
            System.err.println("no chart: " + e);
            chart = null;
        }
        System.out.println();
        System.out.println("result: " + dir.resolve("result.json") + "   table: " + dir.resolve("table.txt")
                + (chart == null ? "" : "   chart: " + chart));
    }

    private ObjectNode build(List<Integer> conns) throws Exception {
        ObjectNode result = NODES.objectNode();
        JsonNode env = read("env");
        result.set("environment", env);
        ObjectNode http = result.putObject("http");
        ObjectNode ceilings = result.putObject("ceilings");
        ObjectNode ratios = result.putObject("ratios");
        int top = conns.get(conns.size() - 1);

        lines.add("keyledger benchmark  " + text(env, "started_at") + "  commit " + text(env, "git_commit"));
        lines.add(String.format(
                "%s CPUs, %s; service JVM: %s; %s s per load phase (after %s s warm-up),"
                        + " creates spread over %s service accounts; per-org key-creation limit raised to %s/min",
                text(env, "cpus"), text(env, "java_version"), text(env, "java_opts"), text(env, "phase_seconds"),
                text(env, "warmup_seconds"), text(env, "accounts"),
                grouped(num(env, "key_creations_per_minute_limit"))));
        double busy = num(env, "background_cpu_busy_percent");
        if (busy > 10) {
            lines.add(String.format(Locale.ROOT, "WARNING: the machine was %.0f%% busy before the run started (other"
                    + " processes); figures are lower and noisier than on a quiet machine", busy));
        }
        lines.add("");
        String header = String.format("%-22s %5s %11s %8s %8s %8s | %-24s %11s %8s %8s %8s | %7s", "figure", "conns",
                "rate /s", "p50 ms", "p99 ms", "p99.9", "ceiling", "rate /s", "p50 ms", "p99 ms", "p99.9", "ratio");
        lines.add(header);
        lines.add("-".repeat(header.length()));
        for (int c : conns) {
            JsonNode create = read("create_" + c);
            JsonNode shape = read("pgbench_create_" + c);
            http.set("create_" + c, create);
            ceilings.set("pgbench_create_" + c, shape);
            double r = ratio(create, "rps", shape, "tps");
            putRatio(ratios, "create_" + c + "_vs_pgbench_same_shape", r);
            row("Create (POST)", c, create, "rps", "pgbench same-shape tx", shape, "tps", r);
        }
        for (int c : conns) {
            JsonNode get = read("get_" + c);
            JsonNode select = read("pgbench_select_" + c);
            JsonNode noop = read("noop_" + c);
            http.set("get_" + c, get);
            http.set("noop_" + c, noop);
            ceilings.set("pgbench_select_" + c, select);
            double rSelect = ratio(get, "rps", select, "tps");
            double rNoop = ratio(get, "rps", noop, "rps");
            putRatio(ratios, "get_" + c + "_vs_pgbench_select", rSelect);
            putRatio(ratios, "get_" + c + "_vs_noop_http", rNoop);
            putRatio(ratios, "noop_" + c + "_vs_pgbench_select", ratio(noop, "rps", select, "tps"));
            row("Get (GET)", c, get, "rps", "pgbench SELECT by PK", select, "tps", rSelect);
            row("", c, null, null, "no-op endpoint (HTTP)", noop, "rps", rNoop);
        }
        lines.add("");
        verification(conns, result, http);
        gateways(top, result);
        costs(conns, result, top);
        lines.add("");

        JsonNode usage = read("usage");
        JsonNode produced = read("usage_produce");
        ObjectNode usageOut = result.putObject("usage");
        usageOut.set("backlog", produced);
        usageOut.set("drain", usage);
        double applied = num(usage, "applied_per_second");
        lines.add(String.format(
                "Usage ingestion         %s records over %s keys: %s records/s applied (%s s to drain,"
                        + " %s s from launch)",
                grouped(num(produced, "records")), grouped(num(produced, "distinct_keys")), grouped(applied),
                fmt(num(usage, "drain_seconds")), fmt(num(usage, "drain_seconds_from_launch"))));
        lines.add(String.format(
                "                        consumer lag (end offsets - group's committed offsets): %s at start -> %s at end;"
                        + " records-lag-max metric peak %s; applied %s, skipped %s%s",
                grouped(num(usage, "max_committed_lag")), grouped(num(usage, "committed_lag_at_end")),
                grouped(num(usage, "max_consumer_lag")), grouped(num(usage, "applied")), grouped(num(usage, "skipped")),
                usage.path("completed").asBoolean(false) ? "" : "  (DID NOT FINISH within the timeout)"));

        JsonNode publication = read("publication");
        result.set("publication_lag", publication);
        JsonNode observed = publication.path("observed_lag");
        lines.addAll(publicationLines(publication));
        boolean publicationFailed = publicationFailed(publication);

        JsonNode memory = read("memory");
        JsonNode start = read("start");
        result.set("memory", memory);
        result.set("start", start);
        lines.add(String.format(
                "Memory (RSS)            idle after start %s MB, idle after load %s MB, peak %s MB (in %s)",
                fmt(num(memory, "idle_start_mb")), fmt(num(memory, "idle_after_load_mb")), fmt(num(memory, "peak_mb")),
                text(memory, "peak_phase")));
        lines.add(String.format(
                "Start                   ready in %s s on a fresh database (migrations run), %s s on restart",
                fmt(num(start, "cold_ready_s")), fmt(num(start, "warm_ready_s"))));
        lines.add("");

        lines.add("CPU by process, % of one core (the machine has " + text(env, "cpus")
                + "; \"other\" is everything else," + " e.g. the JVM helpers or other users)");
        String cpuHeader = String.format("  %-22s %8s %9s %6s %9s %6s %6s", "phase", "service", "postgres", "kafka",
                "load-gen", "other", "idle");
        lines.add(cpuHeader);
        ObjectNode cpu = result.putObject("cpu_percent_of_one_core");
        List<String> cpuPhases = new ArrayList<>();
        for (int c : conns) {
            cpuPhases.add("create_" + c);
            cpuPhases.add("pgbench_create_" + c);
        }
        for (int c : conns) {
            cpuPhases.add("get_" + c);
            cpuPhases.add("noop_" + c);
            cpuPhases.add("pgbench_select_" + c);
        }
        for (int c : conns) {
            VERIFICATION_MODES.forEach(mode -> cpuPhases.add(mode + "_" + c));
        }
        for (String variant : List.of("noauth", "authz", "cached")) {
            cpuPhases.add("gw_" + variant + "_" + top);
        }
        for (String level : costLevels()) {
            cpuPhases.add("create_at_" + level);
        }
        cpuPhases.add("get_big_" + top);
        cpuPhases.add("relay_drain");
        cpuPhases.add("publication_cpu");
        cpuPhases.add("usage_cpu");
        for (String name : cpuPhases) {
            JsonNode phaseCpu = read(name).path("cpu");
            if (phaseCpu.isMissingNode()) {
                continue;
            }
            String label = name.replace("_cpu", "");
            cpu.set(label, phaseCpu);
            lines.add(String.format("  %-22s %8s %9s %6s %9s %6s %6s", label, whole(num(phaseCpu, "service")),
                    whole(num(phaseCpu, "postgres")), whole(num(phaseCpu, "kafka")),
                    whole(num(phaseCpu, "load_generator")), whole(num(phaseCpu, "other")),
                    whole(num(phaseCpu, "idle"))));
        }
        lines.add("");

        JsonNode createTop = read("create_" + top);
        JsonNode getTop = read("get_" + top);
        serviceCpu(top, result);
        target("Create " + top + " conns >= 55% of same-shape pgbench",
                num(ratios, "create_" + top + "_vs_pgbench_same_shape"), ">=", 0.55, true);
        target("Create " + top + " conns p99 <= 25 ms", num(createTop, "p99_ms"), "<=", 25, false, " ms");
        target("Get " + top + " conns >= 50% of pgbench SELECT", num(ratios, "get_" + top + "_vs_pgbench_select"), ">=",
                0.50, true);
        target("Get " + top + " conns p99 <= 10 ms", num(getTop, "p99_ms"), "<=", 10, false, " ms");
        for (String mode : List.of("keyget", "verify")) {
            JsonNode phase = read(mode + "_" + top);
            String label = verificationLabel(mode);
            target(label + " " + top + " conns p99 <= 2 ms", num(phase, "p99_ms"), "<=", 2, false, " ms");
            target(label + " DB queries per cached verification = 0 (< 0.01)",
                    num(result.path("verification").path(mode + "_" + top), "queries_per_cached_verification"), "<=",
                    0.01, false, "", 4);
        }
        List<String> levels = costLevels();
        if (levels.size() > 1) {
            String first = levels.get(0);
            String last = levels.get(levels.size() - 1);
            target("Create at " + last + " keys >= 80% of create at " + first,
                    num(result.path("costs"), "create_at_" + last + "_vs_" + first), ">=", 0.80, true);
        }
        target("Get over " + grouped(num(read("cost"), "total_keys")) + " keys >= 80% of get over 10,000 (flat cost;"
                + " this bench's own bar)", num(result.path("costs"), "get_big_vs_get"), ">=", 0.80, true);
        target("Relay drain >= 20,000 events/s", num(result.path("costs").path("relay_drain"), "events_per_second"),
                ">=", 20_000, false, " events/s");
        JsonNode rebuild = read("rebuild");
        if (rebuild.path("available").asBoolean(false)) {
            target("Rebuild >= 20,000 events/s", num(result.path("costs").path("rebuild"), "events_per_second"), ">=",
                    20_000, false, " events/s");
        } else {
            ObjectNode t = targets.addObject();
            t.put("target", "Rebuild >= 20,000 events/s");
            t.putNull("value");
            t.putNull("pass");
            t.put("measured", "n/a (rebuild trigger not merged)");
        }
        target("Usage >= 50,000 records/s applied", applied, ">=", 50_000, false, " records/s");
        if (publicationFailed) {
            ObjectNode t = targets.addObject();
            t.put("target", "Publication lag p99 <= 100 ms");
            t.putNull("value");
            t.put("pass", false);
            t.put("measured", "FAILED: " + failureSummary(publication));
        } else {
            target("Publication lag p99 <= 100 ms", num(observed, "p99_ms"), "<=", 100, false, " ms");
        }
        target("RSS at peak <= 300 MB (-Xmx256m)", num(memory, "peak_mb"), "<=", 300, false, " MB");
        double noopRate = num(read("noop_" + top), "rps");
        target("Start <= 1.5 s on a fresh database" + (noopRate >= 50_000
                ? ""
                : " (the bar holds on a day the no-op passes 50,000/s; today " + grouped(noopRate) + "/s)"),
                num(start, "cold_ready_s"), "<=", 1.5, false, " s");
        result.set("targets", targets);
        lines.add("targets");
        for (JsonNode t : targets) {
            lines.add(String.format("  %-4s %-66s %s",
                    t.path("pass").isNull() ? "n/a" : t.path("pass").asBoolean() ? "PASS" : "MISS",
                    t.path("target").asText(), t.path("measured").asText()));
        }
        List<String> errors = errors(http);
        if (!errors.isEmpty()) {
            lines.add("");
            lines.add("non-2xx or socket errors: " + String.join("; ", errors));
        }
        return result;
    }

    /** The hot path every gateway request takes: rates beside the no-op endpoint, and the database work per verification. */
    private void verification(List<Integer> conns, ObjectNode result, ObjectNode http) throws Exception {
        ObjectNode out = result.putObject("verification");
        JsonNode idle = read("idle_db").path("db");
        out.set("idle_baseline", idle);
        double idleXactPerSecond = num(idle, "xact_commit") / num(idle, "window_s");
        for (int c : conns) {
            JsonNode noop = read("noop_" + c);
            for (String mode : VERIFICATION_MODES) {
                JsonNode phase = read(mode + "_" + c);
                if (phase.has("missing")) {
                    continue;
                }
                http.set(mode + "_" + c, phase);
                ObjectNode figures = comparedToBaseline(out, mode + "_" + c, verificationLabel(mode), c, phase,
                        "no-op endpoint (HTTP)", noop, "vs_noop");
                JsonNode db = phase.path("db");
                double requests = num(phase, "requests");
                double xacts = num(db, "xact_commit") - idleXactPerSecond * num(db, "window_s");
                double lookups = num(db, "lookups");
                double hits = num(db, "cache_hits");
                // a GET runs its own SELECT (one transaction); what is left is what verification cost the database
                double own = mode.equals("keyget") ? requests : 0;
                double queries = statements(db, xacts);
                double perCached = hits > 0 ? Math.max(0, queries - lookups - own) / hits : Double.NaN;
                figures.put("db_transactions_above_idle", BenchSupport.round(xacts));
                figures.put("lookups_per_verification",
                        BenchSupport.round(requests > 0 ? lookups / requests : Double.NaN));
                figures.put("queries_per_cached_verification", perCached);
                figures.put("counted_by",
                        db.path("pg_stat_statements_calls").isNumber()
                                ? "pg_stat_statements"
                                : "pg_stat_database xact_commit minus the idle rate");
                lines.add(String.format(Locale.ROOT,
                        "%-22s %5s   DB: %s transactions above idle for %s requests (%s cache hits,"
                                + " %s lookups); per cached verification %.4f%s",
                        "", "", grouped(xacts), grouped(requests), grouped(hits), grouped(lookups), perCached,
                        num(db, "failed_authentication_429") > 0
                                ? "; " + grouped(num(db, "failed_authentication_429"))
                                        + " x 429 from the failed-authentication"
                                        + " throttle (cache entries of real keys expiring together: their lookups take tokens of"
                                        + " the one client address)"
                                : ""));
            }
        }
    }

    /**
     * Gateways (issue: gateways): wrk through one real nginx to an echo upstream, with auth_request to /api/v2/authz,
     * the same behind a 1 s micro-cache, and with no auth (the ceiling); keyledger's CPU per check beside the no-op
     * endpoint's CPU per request, in the same run, and database queries per check.
     */
    private void gateways(int top, ObjectNode result) throws Exception {
        JsonNode available = read("gateways");
        ObjectNode out = result.putObject("gateways");
        out.set("setup", available);
        if (!available.path("available").asBoolean(false)) {
            lines.add(String.format("%-22s not measured: %s", "Gateway (nginx)",
                    available.path("reason").asText("no gateway phase")));
            ObjectNode t = targets.addObject();
            t.put("target", "nginx auth_request " + top + " conns >= 50% of nginx without auth");
            t.putNull("value");
            t.putNull("pass");
            t.put("measured", "n/a (" + available.path("reason").asText("not run") + ")");
            return;
        }
        JsonNode none = read("gw_noauth_" + top);
        JsonNode noop = read("noop_" + top);
        double noopCpu = cpuMicrosPerRequest(noop);
        for (String variant : List.of("authz", "cached")) {
            JsonNode phase = read("gw_" + variant + "_" + top);
            ObjectNode figures = comparedToBaseline(out, variant + "_" + top,
                    variant.equals("authz") ? "nginx + authz" : "nginx + authz, 1 s cache", top, phase,
                    "nginx, no auth", none, "vs_no_auth");
            double checks = num(phase, "requests");
            double cpu = cpuMicrosPerRequest(phase);
            figures.put("service_cpu_us_per_check", BenchSupport.round(cpu));
            figures.put("noop_service_cpu_us_per_request", BenchSupport.round(noopCpu));
            JsonNode db = phase.path("db");
            double queries = statements(db, num(db, "xact_commit"));
            figures.put("db_queries_per_check", BenchSupport.round(checks > 0 ? queries / checks : Double.NaN));
            lines.add(String.format(Locale.ROOT,
                    "%-22s %5s   keyledger CPU %.1f us per request through nginx (no-op endpoint:"
                            + " %.1f us per request); DB queries per request %.4f",
                    "", "", cpu, noopCpu, checks > 0 ? queries / checks : Double.NaN));
        }
        row("", top, null, null, "nginx, no auth", none, "rps", 1.0);
        out.set("noauth_" + top, none);
        target("nginx auth_request " + top + " conns >= 50% of nginx without auth",
                ratio(read("gw_authz_" + top), "rps", none, "rps"), ">=", 0.50, true);
    }

    /**
     * A phase's rate beside a baseline's: printed as a row, and kept in {@code out} under {@code name} with the phase
     * and the ratio as {@code ratioField}. Answers that entry, for the figures the caller adds.
     */
    private ObjectNode comparedToBaseline(ObjectNode out, String name, String figure, int conns, JsonNode phase,
            String baselineName, JsonNode baseline, String ratioField) {
        double r = ratio(phase, "rps", baseline, "rps");
        row(figure, conns, phase, "rps", baselineName, baseline, "rps", r);
        ObjectNode figures = out.putObject(name);
        figures.set("phase", phase);
        figures.put(ratioField, BenchSupport.round(r));
        return figures;
    }

    /** The statements pg_stat_statements counted in a phase's database figures, or {@code fallback} where it is off. */
    private static double statements(JsonNode db, double fallback) {
        return db.path("pg_stat_statements_calls").isNumber() ? num(db, "pg_stat_statements_calls") : fallback;
    }

    /**
     * The service's CPU per request in each per-request phase at {@code top} connections, beside the no-op endpoint's
     * in the same run (the no-op goes through the same HTTP server, filters, security and metrics), with the targets
     * of the per-request cost issue.
     */
    private void serviceCpu(int top, ObjectNode result) throws Exception {
        ObjectNode out = result.putObject("service_cpu_us_per_request");
        double noop = cpuMicrosPerRequest(read("noop_" + top));
        lines.add("Service CPU per request at " + top + " connections (CPU time of the service process / requests;"
                + " same run)");
        lines.add(String.format("  %-40s %12s %9s", "phase", "us/request", "x no-op"));
        String[][] phases = {{"noop", "no-op endpoint (GET /api/v2/_noop)"}, {"get", "Get (GET, JWT)"},
                {"keyget", "API-key GET (cached key)"}, {"verify", "POST /api-keys/verify (cached)"},
                {"authz", "GET /api/v2/authz (check, cached)"}, {"gw_authz", "nginx + authz (keyledger's share)"},
                {"create", "Create (POST)"}};
        for (String[] phase : phases) {
            JsonNode measured = read(phase[0] + "_" + top);
            if (measured.has("missing")) {
                continue;
            }
            double us = cpuMicrosPerRequest(measured);
            out.put(phase[0], BenchSupport.round(us));
            lines.add(String.format(Locale.ROOT, "  %-40s %12.1f %8.2fx", phase[1], us, us / noop));
        }
        lines.add("");
        target("Get service CPU <= 1.75x the no-op's", ratioToNoop(out, "get"), "<=", 1.75, false, "x", 2);
        target("API-key GET service CPU <= 2x the no-op's", ratioToNoop(out, "keyget"), "<=", 2.0, false, "x", 2);
        target("POST verify (cached) service CPU <= 1.5x the no-op's", ratioToNoop(out, "verify"), "<=", 1.5, false,
                "x", 2);
        target("Check endpoint (cached) service CPU <= 1.5x the no-op's", ratioToNoop(out, "authz"), "<=", 1.5, false,
                "x", 2);
        target("Create service CPU <= 250 us", num(out, "create"), "<=", 250, false, " us");
        warmup(top, out);
    }

    /**
     * The create warm-up window by window: CPU per create in each, against the measured create phase later in the run
     * (the steady state); the target is the last window that ended within 60 s of ready.
     */
    private void warmup(int top, ObjectNode out) throws Exception {
        JsonNode curve = read("warmup_curve");
        double steady = num(out, "create");
        ObjectNode warm = out.putObject("create_warmup");
        StringBuilder line = new StringBuilder("Create warm-up (CPU per create, us, by window after ready):");
        double within60 = Double.NaN;
        for (JsonNode window : curve.path("windows")) {
            JsonNode phase = read(window.path("phase").asText());
            double us = cpuMicrosPerRequest(phase);
            double at = num(window, "started_s_after_ready");
            double end = at + num(phase.path("cpu"), "wall_s");
            warm.put(String.format(Locale.ROOT, "%.0fs", at), BenchSupport.round(us));
            line.append(String.format(Locale.ROOT, "  %.0f-%.0f s: %.0f", at, end, us));
            if (end <= 60) {
                within60 = us;
            }
        }
        line.append(String.format(Locale.ROOT, "  (steady, the create_%d phase: %.0f)", top, steady));
        lines.add(line.toString());
        lines.add("");
        target("Create CPU within 60 s of start <= 1.5x its steady state", within60 / steady, "<=", 1.5, false, "x", 2);
    }

    private static double ratioToNoop(JsonNode cpuPerRequest, String phase) {
        return num(cpuPerRequest, phase) / num(cpuPerRequest, "noop");
    }

    /** The service's CPU per request in a phase: its share of one core over the wall time, per request. */
    private static double cpuMicrosPerRequest(JsonNode phase) {
        double requests = num(phase, "requests");
        double cpu = num(phase.path("cpu"), "service") / 100 * num(phase.path("cpu"), "wall_s");
        return requests > 0 ? cpu / requests * 1e6 : Double.NaN;
    }

    /** How cost grows with the work: creates by keys per account, gets by key-set size, the relay's drain, rebuild. */
    private void costs(List<Integer> conns, ObjectNode result, int top) throws Exception {
        ObjectNode out = result.putObject("costs");
        JsonNode cost = read("cost");
        out.set("settings", cost);
        List<String> levels = costLevels();
        JsonNode base = levels.isEmpty() ? NODES.objectNode() : read("create_at_" + levels.get(0));
        for (String level : levels) {
            JsonNode phase = read("create_at_" + level);
            out.set("create_at_" + level, phase);
            double r = ratio(phase, "rps", base, "rps");
            if (!level.equals(levels.get(0))) {
                putRatio(out, "create_at_" + level + "_vs_" + levels.get(0), r);
            }
            row("Create, " + level + " keys/acct", top, phase, "rps", "create at " + levels.get(0) + " keys", base,
                    "rps", r);
        }
        JsonNode get = read("get_" + top);
        JsonNode big = read("get_big_" + top);
        out.set("get_big", big);
        double rBig = ratio(big, "rps", get, "rps");
        putRatio(out, "get_big_vs_get", rBig);
        row("Get, " + compact(num(cost, "total_keys")) + " keys", top, big, "rps", "get over 10k keys", get, "rps",
                rBig);

        JsonNode drain = read("relay_drain");
        ObjectNode relay = out.putObject("relay_drain");
        relay.set("phase", drain);
        double events = num(drain, "events");
        // published by the end: the whole backlog when the relay caught up, else what it got through (the rate is over
        // that)
        double published = drain.path("published").isNumber() ? num(drain, "published") : events;
        double fromFirst = num(drain, "drain_s_from_first_publication");
        double fromBroker = num(drain, "drain_s_from_broker_start");
        relay.put("events_per_second", BenchSupport.round(fromFirst > 0 ? published / fromFirst : Double.NaN));
        relay.put("events_per_second_from_broker_start",
                BenchSupport.round(fromBroker > 0 ? published / fromBroker : Double.NaN));
        lines.add(String.format(
                "Relay drain             %s events appended during a broker outage: %s events/s from the first"
                        + " publication (%s s), %s events/s from the broker's start (%s s, of which %s s until the first"
                        + " publication)%s",
                grouped(events), grouped(num(relay, "events_per_second")), fmt(fromFirst),
                grouped(num(relay, "events_per_second_from_broker_start")), fmt(fromBroker),
                fmt(num(drain, "first_publication_after_broker_start_s")),
                drain.path("caught_up").asBoolean(false)
                        ? ""
                        : "  (DID NOT CATCH UP within the timeout: " + grouped(published)
                                + " published; the rates are over those)"));
        JsonNode rebuild = read("rebuild");
        ObjectNode rebuildOut = out.putObject("rebuild");
        rebuildOut.set("phase", rebuild);
        if (rebuild.path("available").asBoolean(false)) {
            double seconds = num(rebuild, "seconds");
            rebuildOut.put("events_per_second",
                    BenchSupport.round(seconds > 0 ? num(rebuild, "events") / seconds : Double.NaN));
            lines.add(String.format("Rebuild                 %s events in %s s: %s events/s (%s)",
                    grouped(num(rebuild, "events")), fmt(seconds), grouped(num(rebuildOut, "events_per_second")),
                    text(rebuild, "state")));
        } else {
            lines.add("Rebuild                 n/a (rebuild trigger not merged)");
        }
    }

    private List<String> costLevels() throws Exception {
        String levels = read("cost").path("levels").asText("");
        List<String> out = new ArrayList<>();
        for (String level : levels.trim().split("\\s+")) {
            if (!level.isEmpty()) {
                out.add(level);
            }
        }
        return out;
    }

    private static String compact(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 1_000_000
                ? String.format(Locale.ROOT, "%.1fM", value / 1e6)
                : String.format(Locale.ROOT, "%.0fk", value / 1e3);
    }

    private static void putRatio(ObjectNode ratios, String name, double value) {
        if (Double.isNaN(value)) {
            ratios.putNull(name);
        } else {
            ratios.put(name, Math.round(value * 10_000) / 10_000.0);
        }
    }

    private void row(String figure, int conns, JsonNode measured, String rateField, String ceilingName,
            JsonNode ceiling, String ceilingRate, double ratio) {
        String left = measured == null
                ? String.format("%-22s %5s %11s %8s %8s %8s", figure, "", "", "", "", "")
                : String.format("%-22s %5d %11s %8s %8s %8s", figure, conns, grouped(num(measured, rateField)),
                        fmt(num(measured, "p50_ms")), fmt(num(measured, "p99_ms")), fmt(num(measured, "p999_ms")));
        lines.add(String.format("%s | %-24s %11s %8s %8s %8s | %6.1f%%", left, ceilingName,
                grouped(num(ceiling, ceilingRate)), fmt(num(ceiling, "p50_ms")), fmt(num(ceiling, "p99_ms")),
                fmt(num(ceiling, "p999_ms")), ratio * 100));
    }

    private void target(String name, double value, String op, double limit, boolean percent) {
        target(name, value, op, limit, percent, "");
    }

    private void target(String name, double value, String op, double limit, boolean percent, String unit) {
        target(name, value, op, limit, percent, unit, -1);
    }

    private void target(String name, double value, String op, double limit, boolean percent, String unit,
            int decimals) {
        boolean pass = !Double.isNaN(value) && (op.equals(">=") ? value >= limit : value <= limit);
        ObjectNode t = targets.addObject();
        t.put("target", name);
        t.put("value", Double.isNaN(value) ? null : BenchSupport.round(value));
        if (Double.isNaN(value)) { // not measured by this run (BENCH_PHASES=hot, or a phase that did not run)
            t.putNull("pass");
        } else {
            t.put("pass", pass);
        }
        t.put("measured",
                percent
                        ? String.format(Locale.ROOT, "measured %.1f%%", value * 100)
                        : "measured " + (decimals >= 0 && !Double.isNaN(value)
                                ? String.format(Locale.ROOT, "%." + decimals + "f", value)
                                : limit >= 1000 ? grouped(value) : fmt(value)) + unit);
    }

    /** A publication phase where most creates failed (or none was attempted): its latencies are not a result. */
    static boolean publicationFailed(JsonNode publication) {
        if (publication.path("status").isTextual()) {
            return "FAILED".equals(publication.path("status").asText());
        }
        // a phase file written before the status field: decide from the counts
        double failed = num(publication, "failed");
        double created = num(publication, "created");
        return !(created > failed);
    }

    /** "7,371 of 10,000 creates failed (HttpConnectTimeoutException 7,000, HTTP 503 371)". */
    static String failureSummary(JsonNode publication) {
        double attempted = num(publication, "attempted");
        if (Double.isNaN(attempted)) {
            attempted = num(publication, "created") + num(publication, "failed");
        }
        List<String> causes = new ArrayList<>();
        publication.path("failure_causes").fields()
                .forEachRemaining(c -> causes.add(c.getKey() + " " + grouped(c.getValue().asDouble())));
        String first = publication.path("first_failure").asText("");
        return grouped(num(publication, "failed")) + " of " + grouped(attempted) + " creates failed"
                + (causes.isEmpty()
                        ? first.isEmpty() ? "" : " (first: " + first + ")"
                        : " (" + String.join(", ", causes) + ")");
    }

    /** The table's publication rows: the lag figures, or FAILED with the failures and their causes instead of them. */
    static List<String> publicationLines(JsonNode publication) {
        JsonNode observed = publication.path("observed_lag");
        JsonNode relay = publication.path("relay_metric");
        JsonNode paced = publication.path("create_latency");
        List<String> rows = new ArrayList<>();
        if (publicationFailed(publication)) {
            rows.add(String.format(
                    "Publication lag         FAILED at %s creates/s (%s sent/s): %s; no lag or latency result",
                    text(publication, "target_rate"), fmt(num(publication, "achieved_send_rate")),
                    failureSummary(publication)));
            return rows;
        }
        rows.add(String.format(
                "Publication lag         at %s creates/s (%s sent/s, %s created, %s failed): commit->readable on Kafka"
                        + " p50 %s ms, p99 %s ms, max %s ms (%s events, %s missing)",
                text(publication, "target_rate"), fmt(num(publication, "achieved_send_rate")),
                grouped(num(publication, "created")), grouped(num(publication, "failed")), fmt(num(observed, "p50_ms")),
                fmt(num(observed, "p99_ms")), fmt(num(observed, "max_ms")), grouped(num(observed, "count")),
                grouped(num(observed, "missing"))));
        if (num(publication, "failed") > 0) {
            rows.add("                        failures: " + failureSummary(publication));
        }
        rows.add(String.format(
                "                        relay metric (append->ack, /q/metrics window): p50 %s ms, p99 %s ms;"
                        + " create latency at this rate (201s only) p50 %s / p99 %s / p99.9 %s ms",
                fmt(num(relay, "p50_ms")), fmt(num(relay, "p99_ms")), fmt(num(paced, "p50_ms")),
                fmt(num(paced, "p99_ms")), fmt(num(paced, "p999_ms"))));
        return rows;
    }

    private static List<String> errors(ObjectNode http) {
        List<String> errors = new ArrayList<>();
        http.fields().forEachRemaining(e -> {
            long sum = 0;
            for (String f : List.of("errors_status", "errors_connect", "errors_read", "errors_write",
                    "errors_timeout")) {
                sum += e.getValue().path(f).asLong(0);
            }
            if (sum > 0) {
                errors.add(e.getKey() + ": " + sum);
            }
        });
        return errors;
    }

    private JsonNode read(String name) throws Exception {
        File file = phases.resolve(name + ".json").toFile();
        if (!file.exists()) {
            return NODES.objectNode().put("missing", true);
        }
        return BenchSupport.JSON.readTree(Files.readString(file.toPath()));
    }

    private static double ratio(JsonNode a, String fa, JsonNode b, String fb) {
        double x = num(a, fa);
        double y = num(b, fb);
        return y > 0 ? x / y : Double.NaN;
    }

    private static double num(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText("?");
    }

    private static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String whole(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String grouped(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
