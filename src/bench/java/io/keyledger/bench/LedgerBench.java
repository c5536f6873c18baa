package io.keyledger.bench;

import static io.keyledger.bench.BenchSupport.log;
import static io.keyledger.bench.BenchSupport.setting;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger figures (deploy/bench/ledger builds and launches it; not a test). Migrates a fresh database on the local
 * PostgreSQL, appends a chained log of BENCH_LEDGER_EVENTS events (default 1,000,000) with COPY ({@link LedgerBacklog}),
 * then measures:
 * <ol>
 *   <li>GET /api/v2/ledger/verify over the whole log (events/s, with the service's CPU; its time limit raised), and the
 *   same walk as a job through POST /api/v2/ledger/verifications (to the first GET that sees it done);</li>
 *   <li>the relay draining that log to Kafka (events/s) and a signed checkpoint over it;</li>
 *   <li>target/keyledger-verify.jar over the published topic (events/s);</li>
 *   <li>GET /api/v2/orgs/asof/api-keys?as_of= for an org with 1,000 accounts (ms, warm).</li>
 * </ol>
 * Writes target/bench/ledger/result.txt. Everything it starts is stopped when it ends.
 */
public final class LedgerBench {

    private static final String ISSUER = "https://keyledger.bench";
    private static final Pattern EVENTS_CHECKED = Pattern.compile("\"events_checked\":([0-9]+)");

    private final Database postgres = new Database(setting("BENCH_PGHOST", "127.0.0.1"), setting("BENCH_PGPORT", 5432),
            setting("BENCH_PGUSER", "postgres"));
    private final String db = setting("BENCH_LEDGER_DB", "keyledger_ledger_bench");
    private final int port = setting("BENCH_LEDGER_PORT", 18180);
    private final int managementPort = setting("BENCH_LEDGER_MANAGEMENT_PORT", 19100);
    private final int kafkaPort = setting("BENCH_LEDGER_KAFKA_PORT", 59292);
    private final long events = Long.parseLong(setting("BENCH_LEDGER_EVENTS", "1000000"));
    private final int asofAccounts = setting("BENCH_LEDGER_ASOF_ACCOUNTS", 1000);
    private final String verifierHeap = setting("BENCH_VERIFIER_HEAP", "512m");
    private final String base = "http://127.0.0.1:" + port;
    private final String management = "http://127.0.0.1:" + managementPort;
    private final String bootstrap = "localhost:" + kafkaPort;
    private final Path out = Path.of("target/bench/ledger").toAbsolutePath();
    private final Path logs = out.resolve("logs");
    private final Path keys = out.resolve("keys");
    private final Path result = out.resolve("result.txt");
    private final BenchStack stack = new BenchStack(logs, setting("BENCH_JAVA_OPTS", "-Xms64m -Xmx512m"));
    private final HttpClient http = BenchSupport.http();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final int clockTicks = CpuMeter.clockTicks();

    public static void main(String[] args) {
        BenchSupport.quietLogging();
        LedgerBench bench = new LedgerBench();
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stop, "ledger-bench-cleanup"));
        int status = BenchSupport.exitStatus(bench::run);
        bench.stop();
        System.exit(status);
    }

    private void run() throws Exception {
        Files.createDirectories(logs);
        Files.createDirectories(keys);
        Files.writeString(result, "");
        String builtFrom = Processes.output("git", "rev-parse", "--short", "HEAD")
                + (Processes.run(List.of("git", "diff", "--quiet"), Map.of(), null, logs.resolve("git.log"), false) == 0
                        ? ""
                        : " (with local changes)");

        // keys for this run only: JWT (RS256) and the ledger's Ed25519 signing key
        Jwts jwts = Jwts.generate(keys.resolve("jwt-private.pem"), keys.resolve("jwt-public.pem"), ISSUER);
        Jwts.ed25519(keys.resolve("ledger-signing.pem"));
        String auditor = jwts.mint("bench-auditor", "keyledger:auditor");
        String asofAdmin = jwts.mint("bench-admin", "org:asof:admin");

        log("creating database " + db);
        postgres.execute("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);

        log("starting Kafka on " + bootstrap);
        BenchSupport.deleteTree(out.resolve("local-stack"));
        stack.startKafka(kafkaPort, out.resolve("local-stack"), "");

        log("migrating (service start with the relay off), then stopping");
        startService("migrate", false);
        stack.stopService();

        log("appending " + events + " chained events with COPY");
        try (PrintStream progress = new PrintStream(Files.newOutputStream(logs.resolve("backlog.log")), true,
                StandardCharsets.UTF_8)) {
            String summary = LedgerBacklog.append(postgres.jdbcUrl(db), postgres.user(), events, asofAccounts,
                    progress);
            progress.println(summary);
            report(summary);
        }
        postgres.execute(db, "ANALYZE events");
        long last = postgres.number(db, "SELECT max(position) FROM events");

        log("service with the relay on: drain " + last + " events to Kafka, then a signed checkpoint");
        long drainStart = System.currentTimeMillis();
        startService("run", true);
        awaitPublished(last, 36_000);
        long drainMillis = System.currentTimeMillis() - drainStart;
        report("relay drain: " + last + " events in " + drainMillis / 1000 + " s (includes service start) = "
                + last * 1000 / drainMillis + " events/s");
        for (int i = 0; i < 600 && checkpoints() < 1; i++) {
            Thread.sleep(500);
        }
        long checkpoints = checkpoints();
        // the checkpoint itself must be published too before the standalone verifier reads the topic
        awaitPublished(postgres.number(db, "SELECT max(position) FROM events"), 600);

        for (int run = 1; run <= 2; run++) {
            log("GET /api/v2/ledger/verify, run " + run);
            long t0 = System.currentTimeMillis();
            long c0 = CpuMeter.ticks(stack.servicePid());
            HttpResponse<String> verify = send(get(base + "/api/v2/ledger/verify", auditor, Duration.ofMinutes(30)));
            if (verify == null || verify.statusCode() >= 400) {
                throw new BenchFailure("verify endpoint");
            }
            Files.writeString(out.resolve("verify-" + run + ".json"), verify.body());
            long ms = System.currentTimeMillis() - t0;
            long cpu = (CpuMeter.ticks(stack.servicePid()) - c0) * 1000 / clockTicks;
            long checked = eventsChecked(verify.body());
            report("verify endpoint run " + run + ": " + verify.body() + " in " + ms + " ms = " + checked * 1000 / ms
                    + " events/s; service CPU " + cpu + " ms ("
                    + String.format(Locale.ROOT, "%.2f", cpu * 1000.0 / checked) + " µs/event)");
        }

        for (int run = 1; run <= 2; run++) {
            log("verification job (POST /api/v2/ledger/verifications, then GET it every second), run " + run);
            long t0 = System.currentTimeMillis();
            long c0 = CpuMeter.ticks(stack.servicePid());
            HttpResponse<String> started = send(HttpRequest
                    .newBuilder(URI.create(base + "/api/v2/ledger/verifications"))
                    .header("Authorization", "Bearer " + auditor).POST(HttpRequest.BodyPublishers.noBody()).build());
            String id = started == null || started.statusCode() >= 400
                    ? ""
                    : BenchSupport.COMPACT.readTree(started.body()).path("id").asText("");
            if (id.isEmpty()) {
                throw new BenchFailure("starting a verification job");
            }
            String job;
            while (true) {
                HttpResponse<String> poll = send(
                        get(base + "/api/v2/ledger/verifications/" + id, auditor, Duration.ofSeconds(30)));
                job = poll == null ? "" : poll.body();
                Files.writeString(out.resolve("job-" + run + ".json"), job);
                if (poll == null || poll.statusCode() >= 400 || !job.contains("\"state\":\"running\"")) {
                    break;
                }
                Thread.sleep(1000);
            }
            long ms = System.currentTimeMillis() - t0;
            long cpu = (CpuMeter.ticks(stack.servicePid()) - c0) * 1000 / clockTicks;
            if (!job.contains("\"state\":\"succeeded\"")) {
                throw new BenchFailure("verification job: " + job);
            }
            report("verification job run " + run + ": " + job + " in " + ms
                    + " ms (to the first poll that saw it done) = " + eventsChecked(job) * 1000 / ms
                    + " events/s; service CPU " + cpu + " ms");
        }

        for (int run = 1; run <= 2; run++) {
            log("standalone verifier over the topic, run " + run);
            long t0 = System.currentTimeMillis();
            Path time = out.resolve("verifier-time-" + run + ".txt");
            Path verdict = out.resolve("verifier-" + run + ".json");
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f",
                    "%e s wall, %U s user, %S s sys, %M KB max RSS", "-o", time.toString()));
            command.addAll(List.of(stack.java(), "-Xmx" + verifierHeap, "-jar", "target/keyledger-verify.jar",
                    "--kafka", bootstrap, "--topic", "api-key-events", "--public-key",
                    base + "/api/v2/ledger/public-key"));
            int code = Processes.run(command, verdict, logs.resolve("verifier-" + run + ".log"));
            long ms = System.currentTimeMillis() - t0;
            String body = Files.readString(verdict).trim();
            report("standalone verifier run " + run + " (exit " + code + "): " + body + " in " + ms + " ms = "
                    + eventsChecked(body) * 1000 / ms + " events/s; "
                    + (Files.exists(time) ? Files.readString(time).trim() : ""));
        }

        log("as-of for org asof (" + asofAccounts + " accounts)");
        long asOf = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() + 3600;
        List<String> seconds = new ArrayList<>();
        String asofBody = "";
        for (int run = 1; run <= 10; run++) {
            long t0 = System.nanoTime();
            HttpResponse<String> asof = send(
                    get(base + "/api/v2/orgs/asof/api-keys?as_of=" + asOf, asofAdmin, Duration.ofSeconds(60)));
            if (asof == null || asof.statusCode() >= 400) {
                throw new BenchFailure("as-of");
            }
            seconds.add(String.format(Locale.ROOT, "%.6f", (System.nanoTime() - t0) / 1e9));
            asofBody = asof.body();
        }
        Files.writeString(out.resolve("asof.json"), asofBody);
        long activeKeys = asofBody.split("\"id\"", -1).length - 1;
        report("as-of, org of " + asofAccounts + " accounts (" + activeKeys
                + " keys active): seconds per request, 10 runs: " + String.join(" ", seconds) + " ");
        report("checkpoints recorded: " + checkpoints + "; built from commit " + builtFrom);
        log("done: " + result);
    }

    private void startService(String label, boolean relayEnabled) throws InterruptedException {
        Map<String, String> env = BenchStack.serviceEnvironment(postgres, db, bootstrap, keys.resolve("jwt-public.pem"),
                ISSUER, BenchStack.pepper(16), port, managementPort);
        env.put("KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION", keys.resolve("ledger-signing.pem").toString());
        env.put("KEYLEDGER_LEDGER_CHECKPOINT_INTERVAL", "5s");
        env.put("KEYLEDGER_RELAY_ENABLED", String.valueOf(relayEnabled));
        env.put("QUARKUS_HTTP_IDLE_TIMEOUT", "30M");
        env.put("KEYLEDGER_LEDGER_VERIFY_TIME_LIMIT", "30M");
        stack.startService(label, env);
        stack.awaitReady(management, label);
    }

    /** Polls the relay's checkpoint metric every 0.5 s (at most {@code polls} times) until it reaches {@code position}. */
    private void awaitPublished(long position, int polls) throws InterruptedException {
        for (int i = 0; i < polls; i++) {
            double published = BenchSupport.sum(BenchSupport.scrape(http, management),
                    "keyledger_relay_checkpoint_position");
            if (!Double.isNaN(published) && (long) published >= position) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private long checkpoints() throws Exception {
        return postgres.number(db, "SELECT count(*) FROM events WHERE stream_id = 'ledger'");
    }

    private static long eventsChecked(String json) {
        Matcher m = EVENTS_CHECKED.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static HttpRequest get(String url, String token, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Authorization", "Bearer " + token).GET()
                .build();
    }

    /** The answer, or null when nothing answered. */
    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    /** A result line: printed, and appended to result.txt. */
    private void report(String line) throws IOException {
        System.out.println(line);
        Files.writeString(result, line + "\n", StandardOpenOption.APPEND);
    }

    private void stop() {
        if (stopped.compareAndSet(false, true)) {
            stack.stopService();
            stack.stopKafka(30);
        }
    }
}
