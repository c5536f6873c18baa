package io.keyledger.bench;

import static io.keyledger.bench.BenchSupport.log;
import static io.keyledger.bench.BenchSupport.sleepSeconds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.bench.Processes.Child;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The keyledger benchmark (deploy/bench/run builds and launches it): starts Kafka and the packaged service against a
 * fresh database on the local PostgreSQL, measures every figure beside its ceiling (pgbench, the no-op endpoint, nginx
 * without auth), writes one JSON file per phase under {@code target/bench/phases}, then the table, the chart and
 * {@code result.json} ({@link BenchReport}). Everything it starts is stopped when it ends, fails or is interrupted. All
 * load goes to 127.0.0.1. deploy/bench/README.md describes each phase.
 *
 * <p>Run from the repository's root, on the test classpath; the settings are BENCH_* environment variables
 * ({@link BenchSettings}).
 */
public final class BenchRun {

    private static final String ORG = "bench";
    private static final String PREFIX = "bench-sa-";
    private static final String ISSUER = "https://keyledger.bench";
    private static final String EVENTS_TOPIC = "api-key-events";
    private static final String USAGE_TOPIC = "authentication-usage";
    /** Verification keys per service account: under keyledger.keys.max-active-per-service-account (100). */
    private static final int VK_PER_ACCOUNT = 90;
    /** The relay drain's backlog is appended in chunks of this many events, one transaction each. */
    private static final int BACKLOG_CHUNK = 50_000;

    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final BenchSettings settings;
    private final Path root = Path.of("").toAbsolutePath();
    private final Path out = root.resolve("target/bench");
    private final Path phases = out.resolve("phases");
    private final Path logs = out.resolve("logs");
    private final Path secrets = out.resolve("secrets");
    private final Database postgres;
    private final String db;
    private final String base;
    private final String management;
    private final String bootstrap;
    private final BenchStack stack;
    private final HttpClient http = BenchSupport.http();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile String phase = "setup";
    private CpuMeter cpu;
    private LoadPhases loads;
    private RssSampler sampler;
    private Child nginx;
    private Thread usageWatch;
    private Jwts jwts;
    private String adminToken;
    private String memberToken;
    private String verifierToken;
    private String pepper;
    private boolean pgStatStatements;

    /** Launch to ready on the fresh database, for the warm-up windows' times. */
    private double coldReadySeconds;

    private BenchRun(BenchSettings settings) {
        this.settings = settings;
        this.postgres = new Database(settings.pgHost(), settings.pgPort(), settings.pgUser());
        this.db = settings.db();
        this.base = "http://127.0.0.1:" + settings.port();
        this.management = "http://127.0.0.1:" + settings.managementPort();
        this.bootstrap = "localhost:" + settings.kafkaPort();
        this.stack = new BenchStack(logs, settings.javaOptions());
    }

    public static void main(String[] args) {
        BenchSupport.quietLogging();
        BenchRun run = new BenchRun(BenchSettings.fromEnvironment());
        // Ctrl-C or a TERM: the hook stops what the run started, as the normal end does
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run.cleanup(true), "bench-cleanup"));
        int status = BenchSupport.exitStatus(run::run);
        run.cleanup(false);
        if (status != 0) {
            log("benchmark failed (exit " + status + "); logs in " + run.logs);
        }
        System.exit(status);
    }

    private void run() throws Exception {
        long runStarted = System.currentTimeMillis();
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        prerequisites();
        // how busy the machine is before we add anything (other processes skew every figure)
        double busy = CpuMeter.busyPercent(3000);
        if (busy > 10) {
            log("WARNING: the machine is already " + busy + "% busy; figures will be skewed");
        }
        for (Path dir : List.of(phases, logs, out.resolve("jwt"), out.resolve("pgbench-logs"),
                out.resolve("profile"))) {
            Files.createDirectories(dir);
        }
        phase("setup");
        String builtFrom = commitId(); // what the service was built from: later commits during the run do not change it

        // JWTs: a fresh RS256 key pair for this run only
        jwts = Jwts.generate(out.resolve("jwt/bench-only-private-key.pem"),
                out.resolve("jwt/bench-only-public-key.pem"), ISSUER);
        adminToken = jwts.mintTo(out.resolve("jwt/admin.jwt"), "bench-admin", "org:" + ORG + ":admin");
        memberToken = jwts.mintTo(out.resolve("jwt/member.jwt"), "bench-member", "org:" + ORG + ":member");
        verifierToken = jwts.mintTo(out.resolve("jwt/verifier.jwt"), "bench-verifier", "keyledger:verifier");

        freshDatabase();
        cpu = new CpuMeter(CpuMeter.clockTicks(), postmasterPid(), stack::servicePid, stack::kafkaPid);
        loads = new LoadPhases(settings, root, out, postgres, db, cpu, stack::servicePid,
                new DbCounters(postgres, db, pgStatStatements, http, management), this::phase, base, ORG, PREFIX);
        log("starting Kafka on " + bootstrap);
        stack.startKafka(settings.kafkaPort(), out.resolve("local-stack"), "");
        pepper = BenchStack.pepper(8);

        // 1. cold start: fresh database, migrations run
        log("starting keyledger (" + settings.javaOptions() + ")");
        phase("start_cold");
        startService("cold");
        double coldReady = (stack.awaitReady(management, "cold") - stack.launchedAt()) / 1000.0;
        coldReadySeconds = coldReady;
        log(String.format(Locale.ROOT, "ready in %.3fs", coldReady));
        phase("idle_start");
        sleepSeconds(settings.idleSeconds());

        // 2. service accounts to spread the creates over (one account serializes its creates)
        phase("seed");
        log("creating " + settings.accounts() + " service accounts");
        BenchClient.seedAccounts(base, adminToken, ORG, PREFIX, settings.accounts());

        createPhases();
        getPhases();
        verificationPhases();
        gatewayPhases();
        double warmReady = Double.NaN;
        if (!settings.hotOnly()) {
            costPhases();
            publicationPhase();
            phase("idle_after_load");
            sleepSeconds(settings.idleSeconds());
            warmReady = usagePhase();
            relayDrainPhase();
            rebuildPhase();
        }

        phase("done");
        stopService();
        stack.stopKafka(30);

        // memory, start, environment
        BenchSupport.writeLine(phases.resolve("memory.json"), RssSampler.summary(out.resolve("rss.txt")));
        ObjectNode start = JsonNodeFactory.instance.objectNode();
        start.put("cold_ready_s", coldReady);
        start.put("warm_ready_s", warmReady);
        start.put("measured", "process launch to /q/health/ready 200");
        BenchSupport.writeLine(phases.resolve("start.json"), start);
        BenchSupport.writeLine(phases.resolve("env.json"), environment(startedAt, builtFrom, busy));

        System.out.println();
        BenchReport.write(out, settings.connectionCounts());
        if (settings.profile()) { // where the service's CPU went, per profiled phase
            try {
                BenchProfile.summarize(out);
                log("profile summary: " + out.resolve("profile/summary.txt"));
            } catch (Exception e) {
                log("no profile summary (" + e + ")");
            }
        }
        System.out.println("run took " + (System.currentTimeMillis() - runStarted) / 1000 + "s");
        if (settings.publish()) {
            Path docs = root.resolve("docs/bench");
            Files.createDirectories(docs);
            for (String file : List.of("table.txt", "result.json", "chart.png")) {
                if (Files.exists(out.resolve(file))) {
                    Files.copy(out.resolve(file), docs.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            log("published to docs/bench/ (table.txt, chart.png, result.json)");
        }
    }

    // --- prerequisites ---------------------------------------------------------------------------------------------

    private void prerequisites() throws Exception {
        if (Processes.onPath("wrk") == null && "0".equals(Processes.output("id", "-u"))
                && Processes.onPath("apt-get") != null) {
            log("installing wrk (Debian package)");
            Path aptLog = Files.createTempFile("bench-apt", ".log");
            if (Processes.run(List.of("apt-get", "install", "-y", "-q", "wrk"), Map.of(), null, aptLog, false) != 0) {
                Processes.run(List.of("apt-get", "update", "-q"), Map.of(), null, aptLog, true);
                Processes.run(List.of("apt-get", "install", "-y", "-q", "wrk"), Map.of(), null, aptLog, true);
            }
        }
        if (Processes.onPath("wrk") == null) {
            throw new BenchFailure("wrk is required (apt-get install wrk)");
        }
        for (String tool : List.of("psql", "pgbench")) {
            if (Processes.onPath(tool) == null) {
                throw new BenchFailure(tool + " is required");
            }
        }
        int pgMax;
        try {
            pgMax = Integer.parseInt(postgres.text("postgres", "SHOW max_connections"));
        } catch (Exception e) {
            throw new BenchFailure("PostgreSQL is not reachable at " + postgres.host() + ":" + postgres.port()
                    + " (pg_ctlcluster 15 main start): " + e.getMessage());
        }
        int maxConns = settings.connectionCounts().stream().max(Integer::compare).orElseThrow();
        // pgbench's clients run while the service still holds its pool (quarkus.datasource.reactive.max-size, 20)
        if (pgMax < maxConns + 30) {
            throw new BenchFailure("PostgreSQL max_connections is " + pgMax + "; pgbench at " + maxConns
                    + " clients plus the service's pool needs " + (maxConns + 30));
        }
        for (int[] port : new int[][]{{settings.port(), 0}, {settings.kafkaPort(), 1}, {settings.kafkaPort() + 1, 1}}) {
            if (listening(port[0])) {
                throw new BenchFailure("something already listens on 127.0.0.1:" + port[0] + " (set "
                        + (port[1] == 0 ? "BENCH_PORT" : "BENCH_KAFKA_PORT") + ")");
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String commitId() {
        String id = Processes.output("git", "rev-parse", "--short", "HEAD");
        if (id.isEmpty() || id.contains(" ")) {
            return "unknown";
        }
        int dirty = Processes.run(List.of("git", "diff", "--quiet", "HEAD"), Map.of(), root, logs.resolve("git.log"),
                false);
        return dirty == 0 ? id : id + "+local-changes";
    }

    /** Only when the server runs on this machine and we may read its data directory; else 0 (no PostgreSQL CPU). */
    private long postmasterPid() {
        try {
            Path pid = Path.of(postgres.text("postgres", "SHOW data_directory"), "postmaster.pid");
            return Files.isReadable(pid) ? Long.parseLong(Files.readAllLines(pid).get(0).trim()) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** A fresh database on the system PostgreSQL (left in place afterwards for inspection; the next run drops it). */
    private void freshDatabase() throws Exception {
        log("creating database " + db + " on " + postgres.host() + ":" + postgres.port());
        try {
            postgres.execute("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
        } catch (Exception e) {
            throw new BenchFailure("could not create " + db + ": " + e.getMessage());
        }
        // queries per verification are counted by pg_stat_statements when the server already preloads it (the run
        // never restarts PostgreSQL to get it), else from pg_stat_database's transaction counts
        pgStatStatements = false;
        if (postgres.text(db, "SHOW shared_preload_libraries").contains("pg_stat_statements")) {
            try {
                postgres.execute(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                pgStatStatements = true;
            } catch (Exception e) {
                // counted from pg_stat_database
            }
        }
    }

    // --- the service -----------------------------------------------------------------------------------------------

    private void startService(String label) {
        Map<String, String> env = BenchStack.serviceEnvironment(postgres, db, bootstrap,
                out.resolve("jwt/bench-only-public-key.pem"), ISSUER, pepper, settings.port(),
                settings.managementPort());
        env.put("KEYLEDGER_BENCH_NOOP_ENABLED", "true");
        env.put("KEYLEDGER_RATE_LIMIT_KEY_CREATIONS_PER_MINUTE", settings.keyCreationsPerMinute());
        env.put("KEYLEDGER_RATE_LIMIT_VERIFICATIONS_PER_SECOND", settings.verificationsPerSecond());
        env.put("KEYLEDGER_RATE_LIMIT_ACCOUNT_WRITES_PER_MINUTE", settings.accountWritesPerMinute());
        Child service = stack.startService(label, env);
        sampler = RssSampler.start(service.pid(), () -> phase, out.resolve("rss.txt"));
    }

    private void stopService() {
        stack.stopService();
        if (sampler != null) {
            sampler.stop();
            sampler = null;
        }
    }

    /** Stops everything the run started (once: at the end, on failure, or from the shutdown hook). */
    private void cleanup(boolean fromHook) {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        BenchSupport.deleteTree(secrets); // API key values made for the verification phases
        if (usageWatch != null) {
            usageWatch.interrupt();
        }
        if (nginx != null) {
            nginx.stop(5);
        }
        BenchSupport.deleteTree(out.resolve("nginx/cache")); // the gateway micro-cache's entries name the key values they were made for
        stopService();
        stack.stopKafka(30);
        if (fromHook) {
            log("benchmark stopped; logs in " + logs);
        }
    }

    /** The phase the RSS samples are tagged with; also in {@code target/bench/phase} for whoever watches the run. */
    private void phase(String name) throws IOException {
        phase = name;
        Path tmp = out.resolve("phase.tmp");
        Files.writeString(tmp, name + "\n");
        Files.move(tmp, out.resolve("phase"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void checkpoint() throws Exception {
        postgres.execute(db, "CHECKPOINT"); // one phase's dirty pages are not written during the next
    }

    private LoadPhases.Load load(String name, String mode, int conns, int seconds, String token) {
        return loads.load(name, mode, conns, seconds, token);
    }

    private void wrk(LoadPhases.Load load) throws Exception {
        loads.wrk(load);
    }

    // 3. Create (POST) beside pgbench running the same transaction
    private void createPhases() throws Exception {
        int top = settings.topConns();
        log("create: warm-up " + settings.warmupSeconds() + "s, then " + settings.seconds() + "s at each of: "
                + settings.conns() + " connections");
        // the warm-up is measured, window by window: how long a pod that has just started pays for compilation
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode curve = nodes.objectNode();
        var windows = curve.putArray("windows");
        int windowSeconds = Math.max(1, settings.warmupSeconds() / settings.warmupWindows());
        for (int i = 1; i <= settings.warmupWindows(); i++) {
            double sinceReady = (System.currentTimeMillis() - stack.launchedAt()) / 1000.0 - coldReadySeconds;
            wrk(load("warmup_create_" + i, "create", top, windowSeconds, adminToken));
            windows.addObject().put("phase", "warmup_create_" + i).put("started_s_after_ready",
                    Math.round(sinceReady * 10) / 10.0);
        }
        BenchSupport.writeLine(phases.resolve("warmup_curve.json"), curve);
        for (int c : settings.connectionCounts()) {
            wrk(load("create_" + c, "create", c, settings.seconds(), adminToken));
        }
        phase("pgbench_setup");
        // keyledger's own migrations, in version order, into a scratch schema; then the seed rows
        List<Path> migrations;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            migrations = files.filter(f -> MIGRATION.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(BenchRun::migrationVersion)).toList();
        }
        List<String> schema = new ArrayList<>();
        schema.add(
                "DROP SCHEMA IF EXISTS bench_shape CASCADE; CREATE SCHEMA bench_shape; SET search_path TO bench_shape;");
        migrations.forEach(m -> schema.add("\\i " + m));
        schema.add("\\i deploy/bench/pgbench/seed.sql");
        Path schemaFile = out.resolve("pgbench-schema.sql");
        Files.write(schemaFile, schema);
        postgres.psqlFile(db, schemaFile,
                Map.of("accounts", String.valueOf(settings.accounts()), "keys", String.valueOf(settings.usageKeys())),
                logs.resolve("pgbench-schema.log"), false);
        for (int c : settings.connectionCounts()) {
            loads.pgbench("pgbench_create_" + c, "create.sql", c, settings.seconds());
        }
    }

    private static int migrationVersion(Path file) {
        Matcher m = MIGRATION.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    // 4. Get (GET) beside pgbench SELECT and the no-op endpoint
    private void getPhases() throws Exception {
        int top = settings.topConns();
        for (int i = 0; i < 40; i++) { // short phases (or a busy machine) may not have made enough keys yet
            if (postgres.number(db, "SELECT count(*) FROM api_keys") >= settings.usageKeys()) {
                break;
            }
            wrk(load("topup_create", "create", top, 5, adminToken).unrecorded());
        }
        List<String> keys = postgres.lines(db,
                "SELECT org, service_account, id FROM api_keys ORDER BY random() LIMIT " + settings.usageKeys());
        Files.write(out.resolve("keys.txt"), keys);
        if (keys.size() != settings.usageKeys()) {
            throw new BenchFailure("expected " + settings.usageKeys() + " keys, have " + keys.size());
        }
        log("get: warm-up, then " + settings.seconds() + "s at each of: " + settings.conns() + " connections ("
                + settings.usageKeys() + " keys)");
        wrk(load("warmup_get", "get", top, 5, memberToken).unrecorded());
        wrk(load("warmup_noop", "noop", top, 5, memberToken).unrecorded());
        for (int c : settings.connectionCounts()) {
            wrk(load("get_" + c, "get", c, settings.seconds(), memberToken));
            wrk(load("noop_" + c, "noop", c, settings.seconds(), memberToken));
            loads.pgbench("pgbench_select_" + c, "select.sql", c, settings.seconds());
        }
    }

    // 4b. The verification hot path: an API key authenticating a GET, and POST /api/v2/api-keys/verify, with the
    // database work per verification counted on the database side (after a warm-up every key is cached)
    private void verificationPhases() throws Exception {
        int top = settings.topConns();
        int accounts = (settings.verifyKeys() + VK_PER_ACCOUNT - 1) / VK_PER_ACCOUNT;
        log("verification: " + settings.verifyKeys() + " API keys over " + accounts + " service accounts; "
                + settings.seconds() + "s at each of: " + settings.conns() + " connections");
        phase("verify_seed");
        BenchClient.seedAccounts(base, adminToken, ORG, "bench-vk-", accounts);
        // key values, for the load generator only; deleted when the run ends
        Files.createDirectories(secrets);
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        Path values = secrets.resolve("key-values.txt");
        Files.createFile(values, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        BenchClient.makeKeys(base, adminToken, ORG, "bench-vk-", settings.verifyKeys(), VK_PER_ACCOUNT, values,
                out.resolve("verify-keys.txt"));
        wrk(load("warmup_verify", "verify", top, 5, verifierToken).unrecorded());
        wrk(load("warmup_keyget", "keyget", top, 5, "").unrecorded());
        loads.idleCounters("idle_db", 5);
        wrk(load("warmup_authz", "authz", top, 5, "").unrecorded());
        for (int c : settings.connectionCounts()) {
            wrk(load("keyget_" + c, "keyget", c, settings.seconds(), "").withDatabaseCounters());
            wrk(load("verify_" + c, "verify", c, settings.seconds(), verifierToken).withDatabaseCounters());
            // the check endpoint called directly (as a gateway calls it), without a gateway's own cost in the phase
            wrk(load("authz_" + c, "authz", c, settings.seconds(), "").withDatabaseCounters());
        }
    }

    // 4d. Gateways: wrk through a real nginx to an echo upstream, with auth_request to keyledger's /api/v2/authz, the
    // same behind a 1 s nginx micro-cache, and with no auth at all (the ceiling); the keys are the verification keys
    private void gatewayPhases() throws Exception {
        ObjectNode gateways = JsonNodeFactory.instance.objectNode();
        if (Processes.onPath("nginx") == null) {
            log("gateways: skipped, nginx is not installed (apt-get install nginx-light)");
            gateways.put("available", false);
            gateways.put("reason", "nginx is not installed");
            BenchSupport.writeLine(phases.resolve("gateways.json"), gateways);
            return;
        }
        String version = Processes.firstLine("nginx", "-v").replaceAll(".*nginx/", "");
        log("gateways: nginx " + version + " in front of an echo upstream");
        Path dir = out.resolve("nginx");
        Files.createDirectories(dir);
        String conf = Files.readString(Path.of("deploy/bench/nginx-gateways.conf")).replace("@OUT@", out.toString())
                .replace("@KEYLEDGER_PORT@", String.valueOf(settings.port()))
                .replace("@ECHO_PORT@", String.valueOf(settings.gatewayEchoPort()))
                .replace("@NOAUTH_PORT@", String.valueOf(settings.gatewayNoAuthPort()))
                .replace("@AUTHZ_PORT@", String.valueOf(settings.gatewayAuthzPort()))
                .replace("@CACHED_PORT@", String.valueOf(settings.gatewayCachedPort()));
        // as root, nginx's workers would run as nobody, who cannot write the cache under target/: run them as this user
        if ("0".equals(Processes.output("id", "-u"))) {
            conf = "user " + Processes.output("id", "-un") + " " + Processes.output("id", "-gn") + ";\n" + conf;
        }
        Files.writeString(dir.resolve("nginx.conf"), conf);
        nginx = Processes.start("nginx",
                List.of("nginx", "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString()), Map.of(),
                logs.resolve("nginx.log"));
        for (int i = 0; i < 100 && status(gatewayUrl(settings.gatewayNoAuthPort()) + "/", null) != 200; i++) {
            Thread.sleep(100);
        }
        String firstKey = Files.readAllLines(secrets.resolve("key-values.txt")).get(0);
        int answer = status(gatewayUrl(settings.gatewayAuthzPort()) + "/orders/1", firstKey);
        int top = settings.topConns();
        if (answer == 200) {
            for (String variant : List.of("noauth", "authz", "cached")) {
                String url = gatewayUrl(switch (variant) {
                    case "noauth" -> settings.gatewayNoAuthPort();
                    case "authz" -> settings.gatewayAuthzPort();
                    default -> settings.gatewayCachedPort();
                });
                wrk(load("warmup_gw_" + variant, "gateway", top, 5, "").at(url).unrecorded());
                wrk(load("gw_" + variant + "_" + top, "gateway", top, settings.seconds(), "").at(url)
                        .withDatabaseCounters());
            }
            gateways.put("available", true);
            gateways.put("nginx", version);
            gateways.put("workers", 1);
        } else {
            String got = answer < 0 ? "000" : String.valueOf(answer);
            log("  skipped: a valid key through nginx answered " + got + ", not 200 (is /api/v2/authz in this build?)");
            gateways.put("available", false);
            gateways.put("reason", "a valid key through nginx answered " + got);
        }
        BenchSupport.writeLine(phases.resolve("gateways.json"), gateways);
        nginx.stop(5);
        nginx = null;
    }

    private static String gatewayUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The status of a GET (with the key in X-API-Key when given), or -1 when nothing answers. */
    private int status(String url, String apiKey) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    // 4c. Cost curves: create at 0, 50 and 99 keys per account; get over a big key set
    private void costPhases() throws Exception {
        int top = settings.topConns();
        List<String> levels = settings.costLevelList();
        log("cost curves: seeding " + settings.costAccounts() + " accounts at each of " + settings.costLevels()
                + " keys, then the big key set (" + settings.bigKeys() + " keys)");
        phase("cost_seed");
        long seedStarted = System.currentTimeMillis();
        Path seedLog = logs.resolve("cost-seed.log");
        for (String level : levels) {
            postgres.psqlFile(db, Path.of("deploy/bench/sql/cost-accounts.sql"), Map.of("prefix",
                    "bench-c" + level + "-", "accounts", String.valueOf(settings.costAccounts()), "per", level),
                    seedLog, true);
        }
        postgres.psqlFile(db, Path.of("deploy/bench/sql/big-keys.sql"),
                Map.of("total", String.valueOf(settings.bigKeys())), seedLog, true);
        Path bigKeys = out.resolve("keys-big.txt");
        Files.write(bigKeys, postgres.lines(db,
                "SELECT org, service_account, id FROM api_keys ORDER BY random() LIMIT " + settings.bigSample()));
        long totalKeys = postgres.number(db, "SELECT count(*) FROM api_keys");
        log("  seeded in " + (System.currentTimeMillis() - seedStarted) / 1000 + "s; " + totalKeys
                + " keys in the read model");
        // each account gets exactly one create (the 99 level would hit the limit of 100 on a second); wrk.lua times the
        // creates itself and stops when they are answered, but wrk always runs -d: 1.5 times what the accounts would
        // take at the plain create rate, at most BENCH_SECONDS (if -d ends first, the rate is over fewer accounts)
        double createRate = Files.exists(phases.resolve("create_" + top + ".json"))
                ? BenchSupport.COMPACT.readTree(phases.resolve("create_" + top + ".json").toFile()).path("rps")
                        .asDouble(0)
                : 0;
        int costSeconds = createRate > 0 ? (int) (1.5 * settings.costAccounts() / createRate) + 1 : settings.seconds();
        costSeconds = Math.max(3, Math.min(settings.seconds(), costSeconds));
        for (String level : levels) {
            wrk(load("create_at_" + level, "create_seq", top, costSeconds, adminToken).sequence("bench-c" + level + "-",
                    settings.costAccounts()));
        }
        ObjectNode cost = JsonNodeFactory.instance.objectNode();
        cost.put("cost_accounts", settings.costAccounts());
        cost.put("levels", settings.costLevels());
        cost.put("phase_seconds", costSeconds);
        cost.put("total_keys", totalKeys);
        cost.put("big_sample", settings.bigSample());
        BenchSupport.writeLine(phases.resolve("cost.json"), cost);
        wrk(load("warmup_get_big", "get", top, 5, memberToken).keys(bigKeys).unrecorded());
        wrk(load("get_big_" + top, "get", top, settings.seconds(), memberToken).keys(bigKeys));
    }

    // 5. Publication lag at a steady create rate (the open-loop creates run in this JVM: its CPU is the load generator)
    private void publicationPhase() throws Exception {
        log("publication lag: " + settings.pacedRate() + " creates/s for " + settings.pacedSeconds() + "s (after "
                + settings.pacedWarmupSeconds() + "s at that rate)");
        phase("publication");
        checkpoint();
        CpuMeter.Mark mark = cpu.mark();
        long own = CpuMeter.ownTicks();
        Map<String, Object> publication;
        try {
            publication = BenchClient.pacedCreates(base, management, adminToken, ORG, PREFIX, settings.accounts(),
                    settings.pacedRate(), settings.pacedWarmupSeconds(), settings.pacedSeconds(), bootstrap,
                    EVENTS_TOPIC, phases.resolve("publication.json"));
        } catch (Exception e) {
            throw new BenchFailure("publication lag: " + e, e);
        }
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("cpu", cpu.since(mark, cpu.ownSecondsSince(own)));
        BenchSupport.writeLine(phases.resolve("publication_cpu.json"), file);
        JsonNode result = BenchSupport.JSON.valueToTree(publication);
        if (BenchReport.publicationFailed(result)) {
            // most creates failed: say so, with the causes, instead of a lag figure
            log("  FAILED: " + BenchReport.failureSummary(result));
        } else {
            String observed = BenchSupport.COMPACT.writeValueAsString(result.path("observed_lag"));
            log("  observed lag: " + observed.substring(1, observed.length() - 1));
        }
    }

    // 6. Usage ingestion: a backlog written while the service is down, drained on restart; returns the restart's time
    private double usagePhase() throws Exception {
        log("usage: stopping the service, writing a backlog of " + settings.usageRecords() + " records over "
                + settings.usageKeys() + " keys");
        stopService();
        phase("backlog");
        UsageBacklog.produce(bootstrap, USAGE_TOPIC, out.resolve("keys.txt"), settings.usageRecords(),
                phases.resolve("usage_produce.json"));
        phase("usage");
        CpuMeter.Mark mark = cpu.mark();
        startService("warm");
        long launched = stack.launchedAt();
        FutureTask<Map<String, Object>> watch = new FutureTask<>(() -> UsageBacklog.watch(management, bootstrap,
                USAGE_TOPIC, settings.usageRecords(), 300, launched, phases.resolve("usage.json")));
        usageWatch = new Thread(watch, "usage-watch");
        usageWatch.setDaemon(true);
        usageWatch.start();
        double warmReady = (stack.awaitReady(management, "warm") - launched) / 1000.0;
        log(String.format(Locale.ROOT, "restarted, ready in %.3fs; draining", warmReady));
        Map<String, Object> drained;
        try {
            drained = watch.get();
        } catch (Exception e) {
            throw new BenchFailure("usage watch: " + e.getCause(), e);
        } finally {
            usageWatch = null;
        }
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("cpu", cpu.since(mark, 0));
        BenchSupport.writeLine(phases.resolve("usage_cpu.json"), file);
        log("  applied " + drained.get("applied_per_second") + " records/s");
        return warmReady;
    }

    // 7. Relay drain: a backlog appended while the broker is down, published when it is back.
    // The relay publishes in (transaction_id, position) order and checkpoints the last pair it published: an event is
    // published when its pair is at or below the checkpoint's (a late-committing transaction can hold a lower
    // position).
    private void relayDrainPhase() throws Exception {
        if (settings.backlogEvents() <= 0) {
            log("relay drain: skipped (BENCH_BACKLOG_EVENTS=0)");
            return;
        }
        phase("relay_backlog");
        String last = lastInRelayOrder();
        for (int i = 0; i < 600 && !relayPassed(last); i++) { // what is already appended is published first
            Thread.sleep(100);
        }
        log("relay drain: stopping the broker, appending " + settings.backlogEvents() + " events (chunks of "
                + BACKLOG_CHUNK + ", one transaction each)");
        stack.stopKafka(60);
        long appendStarted = System.currentTimeMillis();
        for (int lo = 0; lo < settings.backlogEvents(); lo += BACKLOG_CHUNK) {
            int hi = Math.min(lo + BACKLOG_CHUNK - 1, settings.backlogEvents() - 1);
            postgres.psqlFile(db, Path.of("deploy/bench/sql/event-backlog.sql"),
                    Map.of("lo", String.valueOf(lo), "hi", String.valueOf(hi)), logs.resolve("backlog.log"), true);
        }
        long appendMillis = System.currentTimeMillis() - appendStarted;
        String target = lastInRelayOrder();
        String from = relayCheckpoint();
        log("  appended in " + appendMillis / 1000 + "s; relay checkpoint at (" + from + "), backlog ends at (" + target
                + "); starting the broker");
        phase("relay_drain");
        checkpoint();
        CpuMeter.Mark mark = cpu.mark();
        long brokerStarted = System.currentTimeMillis();
        stack.startKafka(settings.kafkaPort(), out.resolve("local-stack"), "-restart");
        long brokerReady = System.currentTimeMillis();
        long deadline = brokerStarted + settings.drainTimeoutSeconds() * 1000L;
        long firstPublication = 0;
        long end = 0;
        boolean caughtUp = false;
        while (System.currentTimeMillis() < deadline) {
            if (firstPublication == 0 && !relayCheckpoint().equals(from)) {
                firstPublication = System.currentTimeMillis();
            }
            if (relayPassed(target)) {
                end = System.currentTimeMillis();
                caughtUp = true;
                break;
            }
            Thread.sleep(200);
        }
        if (end == 0) {
            end = System.currentTimeMillis();
        }
        if (firstPublication == 0) {
            firstPublication = end;
        }
        // what was published by the end: all of it, or (timed out) the backlog minus what is still past the checkpoint
        long published = settings.backlogEvents();
        if (!caughtUp) {
            String[] at = relayCheckpoint().split(" ");
            published -= postgres.number(db, "SELECT count(*) FROM events WHERE (transaction_id, position) > ('" + at[0]
                    + "'::xid8, " + at[1] + ") AND stream_id LIKE 'service-account:bench:bench-backlog-%'");
        }
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("events", settings.backlogEvents());
        file.put("published", published);
        file.put("append_seconds", Math.round(appendMillis / 100.0) / 10.0);
        file.put("caught_up", caughtUp);
        file.put("checkpoint_from", from);
        file.put("checkpoint_at_end", relayCheckpoint());
        file.put("target", target);
        file.put("broker_start_s", hundredths(brokerReady - brokerStarted));
        file.put("first_publication_after_broker_start_s", hundredths(firstPublication - brokerStarted));
        file.put("drain_s_from_broker_start", hundredths(end - brokerStarted));
        file.put("drain_s_from_first_publication", hundredths(end - firstPublication));
        file.set("cpu", cpu.since(mark, 0));
        BenchSupport.writeLine(phases.resolve("relay_drain.json"), file);
        log(String.format(Locale.ROOT, "  drained in %.2f s from the first publication (caught up: %s)",
                hundredths(end - firstPublication), caughtUp));
    }

    private static double hundredths(long millis) {
        return Math.round(millis / 10.0) / 100.0;
    }

    /** "transaction_id position" of the relay's checkpoint, or "" before its first. */
    private String relayCheckpoint() throws Exception {
        return postgres.text(db, "SELECT transaction_id, position FROM relay_checkpoints WHERE name = 'kafka-relay'");
    }

    private String lastInRelayOrder() throws Exception {
        return postgres.text(db,
                "SELECT transaction_id, position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1");
    }

    /** Whether the relay's checkpoint is at or past "transaction_id position". */
    private boolean relayPassed(String pair) throws Exception {
        String[] at = pair.split(" ");
        return postgres.test(db, "SELECT coalesce((SELECT (transaction_id, position) >= ('" + at[0] + "'::xid8, "
                + at[1] + ") FROM relay_checkpoints WHERE name = 'kafka-relay'), false)");
    }

    // 8. Rebuild rate: the operator trigger of the online rebuild, on the management port:
    //   POST $MANAGEMENT/keyledger/projections/rebuild -> 200 with {"events", "seconds", "events_per_second", ...} when
    // done
    // It needs a JWT with group keyledger:operator, minted here (the run's other tokens may be older than their 2 h).
    // The rate is the service's own (events applied over its time).
    private void rebuildPhase() throws Exception {
        phase("rebuild");
        CpuMeter.Mark mark = cpu.mark();
        String operator = jwts.mint("bench-operator", "keyledger:operator");
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.rebuildUrl()))
                .timeout(Duration.ofSeconds(settings.rebuildTimeoutSeconds()))
                .header("Authorization", "Bearer " + operator).POST(HttpRequest.BodyPublishers.noBody()).build();
        int code = -1;
        String body = "";
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            code = response.statusCode();
            body = response.body();
        } catch (IOException e) {
            // no answer: n/a below
        }
        Files.writeString(out.resolve("rebuild.json"), body);
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        if (code != 200) {
            String answered = code < 0 ? "none" : String.valueOf(code);
            log("rebuild: n/a (POST " + settings.rebuildUrl() + " answered " + (code < 0 ? "nothing" : answered) + ": "
                    + body.substring(0, Math.min(300, body.length())) + ")");
            file.put("available", false);
            file.put("note", "n/a (rebuild answered " + answered + ")");
            file.put("trigger", "POST " + settings.rebuildUrl());
            BenchSupport.writeLine(phases.resolve("rebuild.json"), file);
            return;
        }
        JsonNode answer;
        try {
            answer = BenchSupport.COMPACT.readTree(body);
        } catch (IOException e) {
            answer = JsonNodeFactory.instance.objectNode();
        }
        file.put("available", true);
        file.put("events", answer.path("events").asLong(0));
        file.put("state", "done");
        file.put("seconds", answer.path("seconds").asDouble(0));
        file.set("cpu", cpu.since(mark, 0));
        BenchSupport.writeLine(phases.resolve("rebuild.json"), file);
        log("  rebuild: " + body);
    }

    private ObjectNode environment(Instant startedAt, String builtFrom, double busy) throws Exception {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("started_at", startedAt.toString());
        env.put("git_commit", builtFrom);
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("memory_mb", memoryMb());
        env.put("java_version", Processes.firstLine(stack.java(), "-version"));
        env.put("java_opts", settings.javaOptions());
        env.put("postgres", postgres.text(db, "SHOW server_version"));
        String wrk = Processes.firstLine("wrk", "-v");
        String[] words = wrk.split(" ");
        env.put("wrk", words.length >= 2 ? words[0] + " " + words[1] : wrk);
        env.put("background_cpu_busy_percent", busy);
        env.put("key_creations_per_minute_limit", Long.parseLong(settings.keyCreationsPerMinute()));
        env.put("phase_seconds", settings.seconds());
        env.put("warmup_seconds", settings.warmupSeconds());
        env.put("conns", settings.conns());
        env.put("load_threads", settings.loadThreads());
        env.put("accounts", settings.accounts());
        env.put("usage_records", settings.usageRecords());
        env.put("usage_keys", settings.usageKeys());
        env.put("paced_rate", settings.pacedRate());
        env.put("paced_seconds", settings.pacedSeconds());
        env.put("verify_keys", settings.verifyKeys());
        env.put("cost_accounts", settings.costAccounts());
        env.put("big_keys", settings.bigKeys());
        env.put("backlog_events", settings.backlogEvents());
        env.put("queries_counted_by", pgStatStatements ? "pg_stat_statements" : "pg_stat_database");
        env.put("verifications_per_second_limit", Long.parseLong(settings.verificationsPerSecond()));
        return env;
    }

    private static long memoryMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }
}
