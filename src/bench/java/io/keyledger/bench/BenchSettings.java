package io.keyledger.bench;

import static io.keyledger.bench.BenchSupport.setting;

import java.util.Arrays;
import java.util.List;

/**
 * deploy/bench/run's settings: each a BENCH_... environment variable with its default (deploy/bench/README.md,
 * "Settings", says what each one means).
 */
record BenchSettings(String pgHost, int pgPort, String pgUser, String db, int port, int managementPort, int kafkaPort,
        int gatewayEchoPort, int gatewayNoAuthPort, int gatewayAuthzPort, int gatewayCachedPort, String conns,
        int seconds, int warmupSeconds, int accounts, int usageRecords, int usageKeys, int pacedRate, int pacedSeconds,
        int pacedWarmupSeconds, int idleSeconds, int loadThreads, String javaOptions, boolean profile,
        String keyCreationsPerMinute, String verificationsPerSecond, String accountWritesPerMinute, int verifyKeys,
        int costAccounts, String costLevels, int bigKeys, int bigSample, int backlogEvents, int drainTimeoutSeconds,
        String rebuildUrl, int rebuildTimeoutSeconds, int statsFlushSeconds, boolean publish, String phases,
        int warmupWindows) {

    static BenchSettings fromEnvironment() {
        int managementPort = setting("BENCH_MANAGEMENT_PORT", 19000);
        return new BenchSettings(setting("BENCH_PGHOST", "127.0.0.1"), setting("BENCH_PGPORT", 5432),
                setting("BENCH_PGUSER", "postgres"), setting("BENCH_DB", "bench_keyledger"),
                setting("BENCH_PORT", 18080),
                // health and metrics are on the management interface, not the API port
                managementPort, setting("BENCH_KAFKA_PORT", 59192),
                // the gateway phases' nginx: the echo upstream and its three front doors (no auth, auth_request,
                // micro-cached)
                setting("BENCH_GW_ECHO_PORT", 18090), setting("BENCH_GW_NOAUTH_PORT", 18091),
                setting("BENCH_GW_AUTHZ_PORT", 18092), setting("BENCH_GW_CACHED_PORT", 18093),
                setting("BENCH_CONNS", "16 64"), setting("BENCH_SECONDS", 15), setting("BENCH_WARMUP_SECONDS", 60),
                setting("BENCH_ACCOUNTS", 4096), setting("BENCH_USAGE_RECORDS", 1_000_000),
                setting("BENCH_USAGE_KEYS", 10_000), setting("BENCH_PACED_RATE", 500),
                setting("BENCH_PACED_SECONDS", 20), setting("BENCH_PACED_WARMUP_SECONDS", 5),
                setting("BENCH_IDLE_SECONDS", 5),
                setting("BENCH_LOAD_THREADS", Runtime.getRuntime().availableProcessors()),
                // SerialGC is what the JVM itself picks inside the 512Mi pod of k8s/base (under 2 CPUs or 1792 MB it is
                // not a "server-class machine"); the heap cap keeps RSS meaningful.
                setting("BENCH_JAVA_OPTS", "-Xms64m -Xmx256m -XX:+UseSerialGC"),
                // a JFR profile of the service in each measured HTTP phase; it costs some throughput
                setting("BENCH_PROFILE", "0").equals("1"),
                // the per-org creation limit (600/min) is an abuse guard and every bench create is in one org: lifted
                setting("BENCH_KEY_CREATIONS_PER_MINUTE", "100000000"),
                // the per-caller verification limit (2000/s), lifted the same way: one verifier JWT sends all of them
                setting("BENCH_VERIFICATIONS_PER_SECOND", "100000000"),
                // the per-org account-write limit (600/min), lifted too: the seeding creates thousands of accounts in
                // one org
                setting("BENCH_ACCOUNT_WRITES_PER_MINUTE", "100000000"), setting("BENCH_VERIFY_KEYS", 1000),
                setting("BENCH_COST_ACCOUNTS", 10_000), setting("BENCH_COST_LEVELS", "0 50 99"),
                setting("BENCH_BIG_KEYS", 1_000_000), setting("BENCH_BIG_SAMPLE", 100_000),
                setting("BENCH_BACKLOG_EVENTS", 1_000_000), setting("BENCH_DRAIN_TIMEOUT_SECONDS", 300),
                setting("BENCH_REBUILD_URL", "http://127.0.0.1:" + managementPort + "/keyledger/projections/rebuild"),
                setting("BENCH_REBUILD_TIMEOUT_SECONDS", 300),
                // an idle PostgreSQL backend publishes its statistics up to 10 s after its last query
                // (PGSTAT_IDLE_INTERVAL): the counted phases wait this long before reading pg_stat_database
                setting("BENCH_STATS_FLUSH_SECONDS", 11), setting("BENCH_PUBLISH", "0").equals("1"),
                // "hot": only the per-request phases (create, get, verification, check endpoint, gateways), for the
                // A/B runs of a lever; "all" adds the cost curves, publication, usage, relay drain and rebuild
                setting("BENCH_PHASES", "all"),
                // the create warm-up (BENCH_WARMUP_SECONDS) is measured in this many windows: CPU per create in each
                setting("BENCH_WARMUP_WINDOWS", 6));
    }

    /** True when the run measures only the per-request phases (BENCH_PHASES=hot). */
    boolean hotOnly() {
        return phases.trim().equals("hot");
    }

    /** The connection counts, in the order given; the targets are checked at the last. */
    List<Integer> connectionCounts() {
        return Arrays.stream(conns.trim().split("\\s+")).map(Integer::parseInt).toList();
    }

    int topConns() {
        List<Integer> all = connectionCounts();
        return all.get(all.size() - 1);
    }

    List<String> costLevelList() {
        return Arrays.stream(costLevels.trim().split("\\s+")).filter(l -> !l.isEmpty()).toList();
    }
}
