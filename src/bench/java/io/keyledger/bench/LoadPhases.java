package io.keyledger.bench;

import static io.keyledger.bench.BenchSupport.log;
import static io.keyledger.bench.BenchSupport.sleepSeconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The measured load phases of {@link BenchRun}: wrk with deploy/bench/wrk.lua, pgbench with deploy/bench/pgbench's
 * transactions, and the idle database baseline. Each writes {@code phases/<name>.json}: the CPU split of the phase
 * ({@link CpuMeter}), the database counters when counted ({@link DbCounters}), and the load tool's figures.
 */
final class LoadPhases {

    /** Marks the phase the run is in (the RSS samples are tagged with it). */
    interface PhaseMarker {
        void enter(String name) throws IOException;
    }

    private final BenchSettings settings;
    private final Path root;
    private final Path out;
    private final Path phases;
    private final Path logs;
    private final Path secrets;
    private final Database postgres;
    private final String db;
    private final CpuMeter cpu;
    private final LongSupplier servicePid;
    private final DbCounters counters;
    private final PhaseMarker phase;
    private final String base;
    private final String org;
    private final String prefix;

    LoadPhases(BenchSettings settings, Path root, Path out, Database postgres, String db, CpuMeter cpu,
            LongSupplier servicePid, DbCounters counters, PhaseMarker phase, String base, String org, String prefix) {
        this.settings = settings;
        this.root = root;
        this.out = out;
        this.phases = out.resolve("phases");
        this.logs = out.resolve("logs");
        this.secrets = out.resolve("secrets");
        this.postgres = postgres;
        this.db = db;
        this.cpu = cpu;
        this.servicePid = servicePid;
        this.counters = counters;
        this.phase = phase;
        this.base = base;
        this.org = org;
        this.prefix = prefix;
    }

    private void checkpoint() throws Exception {
        postgres.execute(db, "CHECKPOINT"); // one phase's dirty pages are not written during the next
    }

    /** One wrk run of deploy/bench/wrk.lua: what it loads, where, for how long, and whether it is a measured phase. */
    record Load(String name, String mode, int conns, int seconds, String token, boolean recorded, String base,
            String prefix, Path keysFile, int seqCount, boolean counted) {

        Load unrecorded() {
            return new Load(name, mode, conns, seconds, token, false, base, prefix, keysFile, seqCount, counted);
        }

        Load withDatabaseCounters() {
            return new Load(name, mode, conns, seconds, token, recorded, base, prefix, keysFile, seqCount, true);
        }

        Load at(String url) {
            return new Load(name, mode, conns, seconds, token, recorded, url, prefix, keysFile, seqCount, counted);
        }

        Load keys(Path file) {
            return new Load(name, mode, conns, seconds, token, recorded, base, prefix, file, seqCount, counted);
        }

        Load sequence(String accountPrefix, int count) {
            return new Load(name, mode, conns, seconds, token, recorded, base, accountPrefix, keysFile, count, counted);
        }
    }

    Load load(String name, String mode, int conns, int seconds, String token) {
        return new Load(name, mode, conns, seconds, token, true, base, prefix, out.resolve("keys.txt"), 0, false);
    }

    /** Runs wrk; a recorded phase's file holds the CPU split (and the database counters) beside wrk's own figures. */
    JsonNode wrk(Load load) throws Exception {
        phase.enter(load.name());
        checkpoint();
        boolean profiled = settings.profile() && load.recorded();
        if (profiled) {
            jcmd("JFR.start", "name=" + load.name(), "settings=profile",
                    "filename=" + out.resolve("profile/" + load.name() + ".jfr"));
        }
        DbCounters.Reading before = load.counted() ? counters.read() : null;
        CpuMeter.Mark mark = cpu.mark();
        long children = CpuMeter.reapedChildrenTicks();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BENCH_MODE", load.mode());
        env.put("BENCH_TOKEN", load.token());
        env.put("BENCH_ORG", org);
        env.put("BENCH_PREFIX", load.prefix());
        env.put("BENCH_ACCOUNTS", String.valueOf(settings.accounts()));
        env.put("BENCH_KEYS_FILE", load.keysFile().toString());
        env.put("BENCH_KEY_VALUES_FILE", secrets.resolve("key-values.txt").toString());
        env.put("BENCH_SEQ_FIRST", "0");
        env.put("BENCH_SEQ_COUNT", String.valueOf(load.seqCount()));
        env.put("BENCH_THREADS", String.valueOf(settings.loadThreads()));
        Path log = logs.resolve("wrk-" + load.name() + ".txt");
        int exit = Processes.run(
                List.of("wrk", "-t" + settings.loadThreads(), "-c" + load.conns(), "-d" + load.seconds() + "s",
                        "--timeout", "5s", "--latency", "-s", "deploy/bench/wrk.lua", load.base()),
                env, root, log, false);
        if (exit != 0) {
            System.err.println(Files.readString(log));
            throw new BenchFailure("wrk " + load.name());
        }
        ObjectNode cpuSplit = cpu.since(mark, cpu.childSecondsSince(children));
        ObjectNode dbCounts = null;
        if (load.counted()) {
            sleepSeconds(settings.statsFlushSeconds()); // an idle backend publishes its statistics up to 10 s late
            dbCounts = counters.between(before, counters.read());
        }
        if (profiled) {
            jcmd("JFR.stop", "name=" + load.name());
        }
        ObjectNode result = wrkResult(log);
        if (result == null) {
            System.err.println(Files.readString(log));
            throw new BenchFailure("no result from wrk " + load.name());
        }
        if (load.recorded()) {
            ObjectNode file = JsonNodeFactory.instance.objectNode();
            file.put("phase", load.name());
            file.put("conns", load.conns());
            file.put("load", "wrk -t" + settings.loadThreads() + " -c" + load.conns() + " -d" + load.seconds() + "s");
            file.set("cpu", cpuSplit);
            if (dbCounts != null) {
                file.set("db", dbCounts);
            }
            file.setAll(result);
            BenchSupport.writeLine(phases.resolve(load.name() + ".json"), file);
        }
        log("  " + load.name() + ": " + result.path("rps").asText() + " req/s, p50 " + result.path("p50_ms").asText()
                + " ms, p99 " + result.path("p99_ms").asText() + " ms, p99.9 " + result.path("p999_ms").asText()
                + " ms, non-2xx " + result.path("errors_status").asText());
        return result;
    }

    /** wrk.lua's done() prints one line "BENCH_RESULT {json}". */
    private static ObjectNode wrkResult(Path log) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("BENCH_RESULT {")) {
                return (ObjectNode) BenchSupport.COMPACT.readTree(line.substring("BENCH_RESULT ".length()));
            }
        }
        return null;
    }

    private void jcmd(String... command) {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(servicePid.getAsLong())));
        args.addAll(List.of(command));
        Processes.run(args, Map.of(), null, logs.resolve("jcmd.log"), true);
    }

    /** pgbench running one of deploy/bench/pgbench's transactions against the scratch schema bench_shape. */
    void pgbench(String name, String script, int conns, int seconds) throws Exception {
        phase.enter(name);
        checkpoint();
        Path pgbenchLogs = out.resolve("pgbench-logs");
        CpuMeter.Mark mark = cpu.mark();
        long children = CpuMeter.reapedChildrenTicks();
        Path log = logs.resolve("pgbench-" + name + ".txt");
        int exit = Processes.run(
                List.of("pgbench", "-h", postgres.host(), "-p", String.valueOf(postgres.port()), "-U", postgres.user(),
                        "-n", "-M", "prepared", "-c", String.valueOf(conns), "-j",
                        String.valueOf(settings.loadThreads()), "-T", String.valueOf(seconds), "-D",
                        "accounts=" + settings.accounts(), "-D", "keys=" + settings.usageKeys(), "-f",
                        root.resolve("deploy/bench/pgbench/" + script).toString(), "-l", "--log-prefix=" + name, db),
                Map.of("PGOPTIONS", "-c search_path=bench_shape"), pgbenchLogs, log, false);
        if (exit != 0) {
            System.err.println(Files.readString(log));
            throw new BenchFailure("pgbench " + name);
        }
        ObjectNode cpuSplit = cpu.since(mark, cpu.childSecondsSince(children));
        String output = Files.readString(log);
        String tps = firstGroup(output, "(?m)^tps = ([0-9.]+) ");
        String failed = firstGroup(output, "(?m)^number of failed transactions: ([0-9]+)");
        // every transaction's latency (µs, third column of pgbench's per-client logs), sorted, for exact percentiles
        List<Path> transactionLogs;
        try (Stream<Path> files = Files.list(pgbenchLogs)) {
            transactionLogs = files.filter(f -> f.getFileName().toString().matches(Pattern.quote(name) + "\\.[0-9].*"))
                    .toList();
        }
        List<Long> latencies = new ArrayList<>();
        for (Path file : transactionLogs) {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3) {
                    latencies.add(Long.parseLong(f[2]));
                }
            }
            Files.delete(file);
        }
        latencies.sort(null);
        Files.write(pgbenchLogs.resolve(name + ".sorted"), latencies.stream().map(String::valueOf).toList());
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("phase", name);
        file.put("conns", conns);
        file.put("load",
                "pgbench -M prepared -c" + conns + " -j" + settings.loadThreads() + " -T" + seconds + " -f " + script);
        file.set("cpu", cpuSplit);
        file.put("tps", tps == null ? 0 : Double.parseDouble(tps));
        file.put("transactions", latencies.size());
        file.put("failed", failed == null ? 0 : Long.parseLong(failed));
        file.put("p50_ms", percentileMillis(latencies, 500));
        file.put("p99_ms", percentileMillis(latencies, 990));
        file.put("p999_ms", percentileMillis(latencies, 999));
        BenchSupport.writeLine(phases.resolve(name + ".json"), file);
        log(String.format(Locale.ROOT, "  %s: %s tx/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms", name,
                tps == null ? "" : tps.replaceAll("\\..*", ""), percentileMillis(latencies, 500),
                percentileMillis(latencies, 990), percentileMillis(latencies, 999)));
    }

    /** Nearest rank, in thousandths: the value at ceil(n * permille / 1000), µs to ms rounded to 3 decimals. */
    private static double percentileMillis(List<Long> sortedMicros, int permille) {
        if (sortedMicros.isEmpty()) {
            return 0;
        }
        int rank = (int) ((sortedMicros.size() * (long) permille + 999) / 1000);
        long micros = sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, rank - 1)));
        return micros / 1000.0;
    }

    private static String firstGroup(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The database work nobody asked for (relay polling, scanners, usage writes): measured idle, subtracted per second. */
    void idleCounters(String name, int seconds) throws Exception {
        phase.enter(name);
        sleepSeconds(settings.statsFlushSeconds());
        DbCounters.Reading before = counters.read();
        sleepSeconds(seconds);
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("phase", name);
        file.set("db", counters.between(before, counters.read()));
        BenchSupport.writeLine(phases.resolve(name + ".json"), file);
    }
}
