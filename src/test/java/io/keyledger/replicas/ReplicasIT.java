package io.keyledger.replicas;

import static io.keyledger.replicas.ReplicaHarness.JSON;
import static io.keyledger.replicas.ReplicaHarness.READY;
import static io.keyledger.replicas.ReplicaHarness.percentile;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.keyledger.gateways.Gateways;
import io.keyledger.replicas.SteadyCreates.Account;
import io.keyledger.replicas.SteadyCreates.Outcome;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14 §1: three keyledger processes from the packaged jar, in production mode, on one PostgreSQL and one
 * KRaft broker that this test starts ({@link RealServices}). It asserts outcomes, never speed (issue 21 §10): a
 * revoked key is refused by the other replicas within a generous deadline, a standby takes over, every 201 is
 * published. The timings it measures (revocation p99, takeover) are printed and written to
 * {@code target/replicas-it/timings.json} beside their targets (250 ms, 5 s), which are reported, not asserted: on a
 * loaded 2-core box they are missed without anything being wrong. Each replica's output is in
 * {@code target/replicas-it/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final String TOPIC = "api-key-events";
    /** The rate the issue asks for; what the box achieved is printed beside it. */
    private static final int CREATES_PER_SECOND = 300;
    /** Generous: on a loaded box a slow answer is not a wrong one (the outcome is what is asserted). */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** Requests outstanding at most: past the box's capacity more only queue (and stretch latencies to the timeout). */
    private static final int MAX_IN_FLIGHT = 64;
    /** Targets, reported beside the measured figures and never asserted. */
    private static final Duration REVOCATION_TARGET = Duration.ofMillis(250);

    private static final Duration TAKEOVER_TARGET = Duration.ofSeconds(5);
    /** How long a revoked key may still be accepted elsewhere, or a standby take to lead, before the test fails. */
    private static final Duration OUTCOME_DEADLINE = Duration.ofSeconds(60);

    private final Map<String, Object> timings = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<Replica> replicas = new CopyOnWriteArrayList<>();
    private volatile List<Replica> rotation = List.of();
    private RealServices services;
    private Map<String, String> serviceConfig;
    private Map<String, String> environment;
    private HttpClient http;
    private KeyCreatedRecords keyCreated;
    private Path jar;
    private Path logs;

    @BeforeAll
    void startServicesAndThreeReplicas() throws Exception {
        ReplicaHarness.quietLogging();
        jar = ReplicaHarness.packagedJar();
        logs = Path.of(System.getProperty("keyledger.it.logs", "target/replicas-it")).toAbsolutePath();
        // the logs of this run only
        if (Files.isDirectory(logs)) {
            try (var old = Files.list(logs)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".log")).toList()) {
                    Files.delete(file);
                }
            }
        }
        http = ReplicaHarness.http(Duration.ofSeconds(30));

        services = new RealServices();
        serviceConfig = services.start();
        String bootstrap = serviceConfig.get("kafka.bootstrap.servers");
        ReplicaHarness.createTopic(bootstrap, TOPIC);
        environment = replicaEnvironment(bootstrap);

        for (String name : List.of("A", "B", "C")) {
            replicas.add(Replica.launch(name, jar, logs, environment, http));
        }
        for (Replica replica : replicas) {
            replica.awaitReady(READY);
        }
        rotation = List.copyOf(replicas);
        keyCreated = new KeyCreatedRecords(bootstrap, TOPIC);
        System.out.printf("[replicas] started %s; logs in %s%n", replicas, logs);
    }

    @AfterAll
    void killReplicasAndStopServices() throws Exception {
        if (keyCreated != null) {
            keyCreated.close();
        }
        ReplicaHarness.stopAll(replicas, services);
    }

    // --- 1 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void creates_reads_andKeyAuthentications_areServedByEveryReplica() throws Exception {
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        createAccount(replicas.get(0), org, "spread", admin);
        double[] validBefore = replicas.stream().mapToDouble(r -> validVerifications(r)).toArray();

        Map<String, int[]> served = new TreeMap<>(); // replica -> {creates, reads, authentications}
        List<JsonNode> keys = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Replica creator = replicas.get(i % 3);
            keys.add(createKey(creator, org, "spread", admin));
            served.computeIfAbsent(creator.name, n -> new int[3])[0]++;
        }
        for (int i = 0; i < keys.size(); i++) {
            // each key is read and used on the replicas that did not create it
            Replica reader = replicas.get((i + 1) % 3);
            String id = keys.get(i).path("id").asText();
            HttpResponse<String> read = call("GET", reader, keyPath(org, "spread") + "/" + id, admin, null);
            assertEquals(200, read.statusCode(), () -> "GET key " + id + " on " + reader.name + ": " + read.body());
            assertEquals(id, JSON.readTree(read.body()).path("id").asText());
            served.get(reader.name)[1]++;

            Replica authenticator = replicas.get((i + 2) % 3);
            HttpResponse<String> used = call("GET", authenticator, "/api/v2/service-accounts/" + org + "/spread",
                    keys.get(i).path("key").asText(), null);
            assertEquals(200, used.statusCode(),
                    () -> "API-key authentication on " + authenticator.name + ": " + used.body());
            assertEquals("spread", JSON.readTree(used.body()).path("name").asText());
            served.get(authenticator.name)[2]++;
        }
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            double valid = validVerifications(replica) - validBefore[i];
            int[] counts = served.get(replica.name);
            System.out.printf(
                    "[replicas] spread: %s served %d creates, %d reads, %d API-key authentications "
                            + "(its keyledger_keys_verification_results_total{result=\"valid\"} grew by %.0f)%n",
                    replica.name, counts[0], counts[1], counts[2], valid);
            assertEquals(List.of(3, 3, 3), List.of(counts[0], counts[1], counts[2]),
                    "creates, reads, authentications on " + replica.name);
            assertTrue(valid >= 3, "API keys verified by " + replica.name + " itself: " + valid);
        }
    }

    // --- 2 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void aKeyRevokedOnOneReplica_isRefusedByTheOthers_withinAGenerousDeadline() throws Exception {
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        createAccount(replicas.get(0), org, "revoked", admin);
        List<Long> micros = new ArrayList<>();
        List<Long> toKafkaMicros = new ArrayList<>();
        ExecutorService probes = Executors.newFixedThreadPool(2);
        try {
            measureRevocations(org, admin, micros, toKafkaMicros, probes);
        } finally {
            probes.shutdownNow();
        }
        Collections.sort(micros);
        System.out.printf(
                "[replicas] revocation reaches every replica (n=%d, from A's 200 to B and C both 401): "
                        + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, min %.1f ms%n",
                micros.size(), percentile(micros, 50) / 1000.0, percentile(micros, 90) / 1000.0,
                percentile(micros, 99) / 1000.0, micros.get(micros.size() - 1) / 1000.0, micros.get(0) / 1000.0);
        Collections.sort(toKafkaMicros);
        System.out.printf(
                "[replicas] of which the relay (A's 200 until this test's own consumer read the KeyRevoked "
                        + "record, n=%d): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n",
                toKafkaMicros.size(), percentile(toKafkaMicros, 50) / 1000.0, percentile(toKafkaMicros, 90) / 1000.0,
                percentile(toKafkaMicros, 99) / 1000.0);
        for (Replica replica : replicas) {
            if (replica.isLeader()) {
                System.out.printf(
                        "[replicas] relay leader %s: publication lag (append to Kafka ack) p50 %.1f ms, p99 %.1f ms%n",
                        replica.name,
                        1000 * replica.metricSum("keyledger_relay_publication_lag_seconds", "quantile=\"0.5\""),
                        1000 * replica.metricSum("keyledger_relay_publication_lag_seconds", "quantile=\"0.99\""));
            }
        }
        // every revocation was refused by B and C within OUTCOME_DEADLINE (firstRefusal); the p99 is a figure
        double p99Ms = percentile(micros, 99) / 1000.0;
        System.out.printf("[replicas] revocation p99 %.1f ms, target %d ms: %s (reported, not asserted)%n", p99Ms,
                REVOCATION_TARGET.toMillis(), p99Ms <= REVOCATION_TARGET.toMillis() ? "met" : "missed");
        recordTiming("revocation_p99_ms", p99Ms, "revocation_target_ms", REVOCATION_TARGET.toMillis());
    }

    private void measureRevocations(String org, String admin, List<Long> micros, List<Long> toKafkaMicros,
            ExecutorService probes) throws Exception {
        for (int i = 0; i < 100; i++) {
            Replica a = replicas.get(i % 3);
            Replica b = replicas.get((i + 1) % 3);
            Replica c = replicas.get((i + 2) % 3);
            JsonNode created = createKey(a, org, "revoked", admin);
            String id = created.path("id").asText();
            String key = created.path("key").asText();
            for (Replica other : List.of(b, c)) {
                // the first use verifies it against the database and caches it, the second is answered from the cache
                for (int n = 0; n < 2; n++) {
                    HttpResponse<String> used = useKey(other, org, key);
                    assertEquals(403, used.statusCode(),
                            () -> "key " + id + " before revocation on " + other.name + ": " + used.body());
                }
            }
            HttpResponse<String> revoked = call("DELETE", a, keyPath(org, "revoked") + "/" + id, admin, null);
            assertEquals(200, revoked.statusCode(), () -> "revoke on " + a.name + ": " + revoked.body());
            long revokedAt = System.nanoTime();
            // B and C are probed at the same time, each by its own thread, so one slow answer does not delay the other
            long deadline = revokedAt + OUTCOME_DEADLINE.toNanos();
            Future<Long> bRefusal = probes.submit(() -> firstRefusal(b, org, key, deadline));
            Future<Long> cRefusal = probes.submit(() -> firstRefusal(c, org, key, deadline));
            long bRefused = result(bRefusal);
            long cRefused = result(cRefusal);
            micros.add(TimeUnit.NANOSECONDS.toMicros(Math.max(bRefused, cRefused) - revokedAt));
            Long onKafka = keyCreated.revokedArrivedAt(id);
            if (onKafka != null) {
                toKafkaMicros.add(TimeUnit.NANOSECONDS.toMicros(onKafka - revokedAt));
            }
            assertEquals(401, useKey(a, org, key).statusCode(), "the revoking replica refuses at once");
        }
    }

    /** Probes until {@code replica} refuses the key; returns when (System.nanoTime) its 401 arrived. */
    private long firstRefusal(Replica replica, String org, String key, long deadline) throws Exception {
        while (true) {
            long refused = refusedAt(replica, org, key);
            if (refused != 0) {
                return refused;
            }
            assertTrue(System.nanoTime() < deadline, () -> "a revoked key still accepted by " + replica.name + " "
                    + OUTCOME_DEADLINE.toSeconds() + " s on");
            // back-to-back probes would take the CPU the relay and the listeners need on 2 cores (2 ms is the
            // resolution of the figures)
            Thread.sleep(2);
        }
    }

    private static long result(Future<Long> probe) throws Exception {
        try {
            return probe.get(OUTCOME_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    /** The time {@code replica} answered 401 to the key, or 0 while it still accepts it. */
    private long refusedAt(Replica replica, String org, String key) throws IOException {
        HttpResponse<String> used = useKey(replica, org, key);
        if (used.statusCode() == 401) {
            return System.nanoTime();
        }
        assertEquals(403, used.statusCode(), () -> "a key being revoked, on " + replica.name + ": " + used.body());
        return 0;
    }

    // --- 3 ----------------------------------------------------------------------------------------------------

    /**
     * The shipped nginx configuration (deploy/gateways/nginx.conf, auth_request) in front of an echo upstream, checking
     * keys against replica B: a key revoked on A is refused through nginx once B has heard of it. The time from A's
     * 200 to nginx's first 401 is printed (the figure docs/gateways.md quotes); the deadline is the generous one.
     */
    @Test
    @Order(3)
    void aKeyRevokedOnOneReplica_isRefusedThroughNginxInFrontOfAnother() throws Exception {
        Replica a = replicas.get(0);
        List<Long> micros = new ArrayList<>();
        keysThroughNginxCheckingAgainstB("gated", 50, key -> {
            for (HttpResponse<String> passed : key.passes()) {
                assertTrue(passed.body().contains("x-keyledger-key-id: " + key.id()), passed.body());
            }
            HttpResponse<String> revoked = call("DELETE", a, key.path(), key.admin(), null);
            assertEquals(200, revoked.statusCode(), () -> "revoke on " + a.name + ": " + revoked.body());
            long revokedAt = System.nanoTime();
            long deadline = revokedAt + OUTCOME_DEADLINE.toNanos();
            while (true) {
                HttpResponse<String> probe = viaGateway(key.through(), key.value());
                if (probe.statusCode() == 401) {
                    micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - revokedAt));
                    assertFalse(probe.body().contains("x-keyledger-"), "the upstream answered: " + probe.body());
                    break;
                }
                assertEquals(200, probe.statusCode(), () -> "a key being revoked, through nginx: " + probe.body());
                assertTrue(System.nanoTime() < deadline,
                        () -> "a revoked key still let through by nginx " + OUTCOME_DEADLINE.toSeconds() + " s on");
                Thread.sleep(2);
            }
        });
        Collections.sort(micros);
        System.out.printf(
                "[replicas] revocation on A seen through nginx checking against B (n=%d, from A's 200 to "
                        + "nginx's first 401): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                micros.size(), percentile(micros, 50) / 1000.0, percentile(micros, 90) / 1000.0,
                percentile(micros, 99) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
        recordTiming("gateway_revocation_p99_ms", percentile(micros, 99) / 1000.0, "revocation_target_ms",
                REVOCATION_TARGET.toMillis());
    }

    /**
     * A key disabled on A is refused through nginx checking against B once B has heard of it, and let through again
     * once it is enabled on A: the quarantine is covered by the same eviction paths as a revocation.
     */
    @Test
    @Order(4)
    void aKeyDisabledOnOneReplica_isRefusedThroughNginxInFrontOfAnother_untilEnabled() throws Exception {
        Replica a = replicas.get(0);
        List<Long> disabledMicros = new ArrayList<>();
        List<Long> enabledMicros = new ArrayList<>();
        keysThroughNginxCheckingAgainstB("quarantined", 20, key -> {
            HttpResponse<String> disabled = call("POST", a, key.path() + "/disable", key.admin(),
                    "{\"reason\":\"leak drill\"}");
            assertEquals(200, disabled.statusCode(), () -> "disable on " + a.name + ": " + disabled.body());
            disabledMicros.add(untilThroughGateway(key.through(), key.value(), 401));
            HttpResponse<String> enabled = call("POST", a, key.path() + "/enable", key.admin(), null);
            assertEquals(200, enabled.statusCode(), () -> "enable on " + a.name + ": " + enabled.body());
            enabledMicros.add(untilThroughGateway(key.through(), key.value(), 200));
        });
        Collections.sort(disabledMicros);
        Collections.sort(enabledMicros);
        System.out.printf(
                "[replicas] disable on A seen through nginx checking against B (n=%d): p50 %.1f ms, p99 %.1f ms; "
                        + "enable: p50 %.1f ms, p99 %.1f ms%n",
                disabledMicros.size(), percentile(disabledMicros, 50) / 1000.0, percentile(disabledMicros, 99) / 1000.0,
                percentile(enabledMicros, 50) / 1000.0, percentile(enabledMicros, 99) / 1000.0);
        recordTiming("gateway_disable_p99_ms", percentile(disabledMicros, 99) / 1000.0, "revocation_target_ms",
                REVOCATION_TARGET.toMillis());
    }

    /**
     * A key of a fresh account, created on A, that passed through nginx twice ({@code passes}: B verified it against
     * the database, then from its cache); {@code path} is its API path, {@code through} a URL behind nginx.
     */
    private record GatedKey(String id, String value, String path, String admin, String through,
            List<HttpResponse<String>> passes) {
    }

    private interface GatedKeyStep {
        void run(GatedKey key) throws Exception;
    }

    /**
     * Through the shipped nginx configuration (deploy/gateways/nginx.conf, auth_request) in front of an echo upstream,
     * checking keys against replica B: {@code keys} keys of a fresh account {@code account}, each handed to
     * {@code step} once it passed twice.
     */
    private void keysThroughNginxCheckingAgainstB(String account, int keys, GatedKeyStep step) throws Exception {
        String org = Fixtures.newOrg();
        String admin = Tokens.admin(org);
        Replica a = replicas.get(0);
        createAccount(a, org, account, admin);
        HttpServer echo = Gateways.echo();
        try (Gateways.Running nginx = Gateways.nginx(replicas.get(1).httpPort, echo.getAddress().getPort())) {
            String through = "http://127.0.0.1:" + nginx.port() + "/orders/1";
            for (int i = 0; i < keys; i++) {
                JsonNode created = createKey(a, org, account, admin);
                String id = created.path("id").asText();
                String key = created.path("key").asText();
                List<HttpResponse<String>> passes = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    HttpResponse<String> passed = viaGateway(through, key);
                    assertEquals(200, passed.statusCode(),
                            () -> "key " + id + " through nginx: " + passed.body() + nginx.log());
                    passes.add(passed);
                }
                step.run(new GatedKey(id, key, keyPath(org, account) + "/" + id, admin, through, passes));
            }
        } finally {
            echo.stop(0);
        }
    }

    /** Probes through the gateway until it answers {@code status} (the other of 200 and 401 meanwhile); the wait in µs. */
    private long untilThroughGateway(String url, String key, int status) throws Exception {
        long start = System.nanoTime();
        long deadline = start + OUTCOME_DEADLINE.toNanos();
        while (true) {
            HttpResponse<String> probe = viaGateway(url, key);
            if (probe.statusCode() == status) {
                return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
            assertEquals(status == 401 ? 200 : 401, probe.statusCode(), () -> "through nginx: " + probe.body());
            assertTrue(System.nanoTime() < deadline,
                    () -> "nginx still answers " + probe.statusCode() + " " + OUTCOME_DEADLINE.toSeconds() + " s on");
            Thread.sleep(2);
        }
    }

    private HttpResponse<String> viaGateway(String url, String key) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(url)).timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + key).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    // --- 4 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void theRelayLeaderKilledUnderLoad_aStandbyTakesOver_andEveryCreatedKeyIsPublished() throws Exception {
        List<Account> accounts = accounts("lead", 10, 15);
        Replica leader = awaitOneLeader();
        List<Replica> survivors = replicas.stream().filter(r -> r != leader).toList();
        double[] publishedBefore = survivors.stream().mapToDouble(this::published).toArray();

        SteadyCreates load = new SteadyCreates(http, () -> rotation, accounts, CREATES_PER_SECOND, CLIENT_TIMEOUT,
                MAX_IN_FLIGHT);
        long killedAt;
        long tookOverAt;
        long publishedAt;
        Replica newLeader;
        try (load) {
            load.start();
            runFor(Duration.ofSeconds(8));
            rotation = survivors; // the Service drops the endpoint
            killedAt = System.nanoTime();
            leader.kill();
            System.out.printf("[replicas] killed the relay leader %s with SIGKILL%n", leader);

            newLeader = null;
            long deadline = killedAt + OUTCOME_DEADLINE.toNanos();
            while (newLeader == null && System.nanoTime() < deadline) {
                newLeader = survivors.stream().filter(Replica::isLeader).findFirst().orElse(null);
                if (newLeader == null) {
                    Thread.sleep(20); // the resolution of the takeover figure
                }
            }
            tookOverAt = System.nanoTime();
            assertNotNull(newLeader, "a standby holds the leader lock within " + OUTCOME_DEADLINE.toSeconds() + " s");
            Replica elected = newLeader;
            double before = publishedBefore[survivors.indexOf(elected)];
            await("the new leader publishes").atMost(OUTCOME_DEADLINE).pollInterval(Duration.ofMillis(20))
                    .until(() -> published(elected) > before);
            publishedAt = System.nanoTime();
            runFor(Duration.ofSeconds(8));
            load.stop();
        }
        double takeoverMs = (tookOverAt - killedAt) / 1e6;
        double publishingMs = (publishedAt - killedAt) / 1e6;
        System.out.printf(
                "[replicas] leader takeover: %s is the leader %.0f ms after the kill, publishing %.0f ms after it%n",
                newLeader.name, takeoverMs, publishingMs);

        Map<String, Long> byKind = describe("leader killed", load);
        Set<String> createdIds = load.outcomes().stream().filter(Outcome::created).map(Outcome::keyId)
                .collect(Collectors.toSet());
        List<Outcome> unexpected = load.outcomes().stream()
                .filter(o -> !o.created() && !(o.error() != null && o.replica().equals(leader.name))).toList();
        assertEquals(List.of(), unexpected.stream().map(ReplicasIT::summary).limit(20).toList(),
                "every request got a 201, except those the killed replica never answered");
        long createdAfterKill = load.outcomes().stream().filter(o -> o.created() && o.sentAtNanos() > killedAt).count();
        System.out.printf("[replicas] leader killed: %d of the 201s were for requests sent after the kill%n",
                createdAfterKill);
        assertTrue(byKind.get("201") > createdAfterKill && createdAfterKill > 0, "201s before and after the kill");

        assertEveryKeyPublishedOnce("leader killed", createdIds);
        System.out.printf(
                "[replicas] takeover %.0f ms, publishing %.0f ms after the kill, target %d ms: %s (reported, "
                        + "not asserted)%n",
                takeoverMs, publishingMs, TAKEOVER_TARGET.toMillis(),
                publishingMs <= TAKEOVER_TARGET.toMillis() ? "met" : "missed");
        recordTiming("takeover_ms", takeoverMs, "takeover_target_ms", TAKEOVER_TARGET.toMillis());
        recordTiming("takeover_publishing_ms", publishingMs, "takeover_target_ms", TAKEOVER_TARGET.toMillis());

        // as Kubernetes would: the killed replica comes back, and rejoins as a standby
        Replica restarted = Replica.launch(leader.name + "2", jar, logs, environment, http).awaitReady(READY);
        replicas.set(replicas.indexOf(leader), restarted);
        rotation = List.copyOf(replicas);
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.metric("keyledger_relay_leader").isPresent());
        assertFalse(restarted.isLeader(), "the restarted replica waits as a standby");
    }

    // --- 5 ----------------------------------------------------------------------------------------------------

    @Test
    @Order(6)
    void postgresRestartedUnderLoad_everyRequestGets201OrAJson503_andEvery201IsDurableAndPublished() throws Exception {
        Assumptions.assumeTrue(RealServices.embeddedDatabase(), "needs the test's own PostgreSQL to restart it");
        List<Account> accounts = accounts("pg", 10, 15);
        SteadyCreates load = new SteadyCreates(http, () -> rotation, accounts, CREATES_PER_SECOND, CLIENT_TIMEOUT,
                MAX_IN_FLIGHT);
        long stopping;
        long stopped;
        long started;
        try (load) {
            load.start();
            runFor(Duration.ofSeconds(5));
            stopping = System.nanoTime();
            RealServices.stopPostgres();
            stopped = System.nanoTime();
            runFor(Duration.ofSeconds(2));
            RealServices.startPostgres();
            started = System.nanoTime();
            runFor(Duration.ofSeconds(10));
            load.stop();
        }
        System.out.printf("[replicas] PostgreSQL: stop took %.0f ms, down for %.0f ms in all until it accepted "
                + "connections again%n", (stopped - stopping) / 1e6, (started - stopping) / 1e6);

        Map<String, Long> byKind = describe("PostgreSQL restarted", load);
        List<Outcome> unexpected = new ArrayList<>();
        for (Outcome o : load.outcomes()) {
            if (o.created()) {
                continue;
            }
            // the replicas' own ports stay up while PostgreSQL restarts, so a connect error (refused or timed out
            // after a generous 30 s) is the service failing to answer, not the restart: it counts as a failure
            boolean json503 = o.status() == 503 && o.error() == null && o.retryAfter() != null
                    && o.contentType() != null && o.contentType().startsWith("application/json")
                    && isJsonMessage(o.body());
            if (!json503) {
                unexpected.add(o);
            }
        }
        assertEquals(List.of(), unexpected.stream().map(ReplicasIT::summary).limit(20).toList(), unexpected.size()
                + " requests got neither a 201 nor a JSON 503 with Retry-After within the client timeout");
        assertTrue(byKind.get("201") > 0, "201s");

        Set<String> createdIds = load.outcomes().stream().filter(Outcome::created).map(Outcome::keyId)
                .collect(Collectors.toSet());
        Set<String> stored = storedKeyIds(createdIds);
        assertEquals(Set.of(), createdIds.stream().filter(id -> !stored.contains(id)).collect(Collectors.toSet()),
                "every 201's key is in PostgreSQL after the restart");
        System.out.printf("[replicas] PostgreSQL restarted: all %d created keys are in api_keys after the restart%n",
                createdIds.size());
        assertEveryKeyPublishedOnce("PostgreSQL restarted", createdIds);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private Map<String, String> replicaEnvironment(String bootstrap) {
        Map<String, String> env = ReplicaHarness.serviceEnvironment(serviceConfig, bootstrap);
        // a fresh secret per run: production refuses the test-only pepper
        env.put("KEYLEDGER_KEYS_HASH_PEPPER", "replicas-it-" + ReplicaHarness.randomSecret());
        env.put("KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION",
                ReplicaHarness.testResource("test-ledger/test-only-ledger-signing-key.pem"));
        // the load is 300 creates/s from one client address into a few orgs, and scenario 2 makes 200 keys fail
        // authentication on purpose: the per-org and per-address limits would answer 429 long before that
        env.put("KEYLEDGER_RATE_LIMIT_KEY_CREATIONS_PER_MINUTE", "10000000");
        env.put("KEYLEDGER_RATE_LIMIT_FAILED_AUTHENTICATIONS_PER_MINUTE", "10000000");
        // readable logs in target/replicas-it (production logs JSON)
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return env;
    }

    /** Service accounts for a load, made through the replicas in turn. */
    private List<Account> accounts(String prefix, int orgs, int perOrg) throws IOException {
        List<Account> accounts = new ArrayList<>();
        int n = 0;
        for (int o = 0; o < orgs; o++) {
            String org = Fixtures.newOrg();
            String admin = Tokens.admin(org);
            for (int a = 0; a < perOrg; a++) {
                String name = prefix + "-" + a;
                createAccount(replicas.get(n++ % replicas.size()), org, name, admin);
                accounts.add(new Account(org, name, admin));
            }
        }
        // interleave orgs, so consecutive requests rarely share an account
        List<Account> interleaved = new ArrayList<>();
        for (int a = 0; a < perOrg; a++) {
            for (int o = 0; o < orgs; o++) {
                interleaved.add(accounts.get(o * perOrg + a));
            }
        }
        return interleaved;
    }

    /** Writes the measured figures where the bench can read them; the targets travel with them. */
    private void recordTiming(String name, double value, String targetName, long target) {
        timings.put(name, Math.round(value * 10) / 10.0);
        timings.put(targetName, target);
        try {
            Files.createDirectories(logs);
            Files.writeString(logs.resolve("timings.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new java.util.TreeMap<>(timings)));
        } catch (IOException e) {
            System.out.println("[replicas] could not write timings.json: " + e);
        }
    }

    private Replica awaitOneLeader() {
        await("exactly one relay leader").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> replicas.stream().filter(Replica::isLeader).count() == 1);
        Replica leader = replicas.stream().filter(Replica::isLeader).findFirst().orElseThrow();
        System.out.printf("[replicas] relay leader: %s%n", leader);
        return leader;
    }

    private double published(Replica replica) {
        OptionalDouble value = replica.metric("keyledger_relay_events_published_total");
        return value.orElse(0);
    }

    private double validVerifications(Replica replica) {
        return replica.metricSum("keyledger_keys_verification_results_total", "result=\"valid\"");
    }

    /** Prints what the load did and returns its outcomes counted by status (or error class). */
    private Map<String, Long> describe(String scenario, SteadyCreates load) {
        List<Outcome> outcomes = load.outcomes();
        Map<String, Long> byKind = outcomes.stream()
                .collect(Collectors.groupingBy(
                        o -> o.error() != null ? o.error().getClass().getSimpleName() : String.valueOf(o.status()),
                        TreeMap::new, Collectors.counting()));
        byKind.putIfAbsent("201", 0L);
        Map<String, Long> byReplica = outcomes.stream().filter(Outcome::created)
                .collect(Collectors.groupingBy(Outcome::replica, TreeMap::new, Collectors.counting()));
        List<Long> latencies = outcomes.stream().map(Outcome::tookMillis).sorted().toList();
        System.out.printf(
                "[replicas] %s: asked %d creates/s, sent %d (%.1f/s, %d not sent: client at its in-flight cap), "
                        + "201s %.1f/s; outcomes %s; 201s by replica %s; latency p50 %d ms, p99 %d ms, max %d ms%n",
                scenario, CREATES_PER_SECOND, load.sent(), load.sentPerSecond(), load.skipped(),
                load.createdPerSecond(), byKind, byReplica, percentile(latencies, 50), percentile(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
        return byKind;
    }

    /** Every id arrives on api-key-events; copies of one key (a re-send) all carry the same ce_id. */
    private void assertEveryKeyPublishedOnce(String scenario, Set<String> keyIds) {
        try {
            await("every created key on " + TOPIC).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> keyCreated.containsAll(keyIds));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> missing = keyCreated.missing(keyIds);
            throw new AssertionError(missing.size() + " of " + keyIds.size() + " created keys never reached " + TOPIC
                    + ", e.g. " + missing.subList(0, Math.min(5, missing.size())), e);
        }
        Map<String, List<String>> copies = keyCreated.copies(keyIds);
        long duplicated = copies.values().stream().filter(c -> c.size() > 1).count();
        Map<String, Set<String>> differing = new HashMap<>();
        copies.forEach((id, ceIds) -> {
            if (new HashSet<>(ceIds).size() > 1) {
                differing.put(id, new HashSet<>(ceIds));
            }
        });
        System.out.printf(
                "[replicas] %s: all %d created keys are on %s; %d arrived more than once, each copy with "
                        + "the same ce_id%s%n",
                scenario, keyIds.size(), TOPIC, duplicated, differing.isEmpty() ? "" : " EXCEPT " + differing.size());
        assertEquals(Map.of(), differing, "keys published twice under different ce_ids");
    }

    private Set<String> storedKeyIds(Set<String> ids) throws Exception {
        try (Connection db = DriverManager.getConnection(serviceConfig.get("quarkus.datasource.jdbc.url"),
                serviceConfig.get("quarkus.datasource.username"), serviceConfig.get("quarkus.datasource.password"));
                PreparedStatement query = db.prepareStatement("SELECT id FROM api_keys WHERE id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("text", ids.toArray()));
            Set<String> found = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        }
    }

    private static String summary(Outcome o) {
        return o.replica() + " " + o.status() + " " + o.contentType() + " Retry-After=" + o.retryAfter() + " after "
                + o.tookMillis() + " ms: " + (o.error() != null ? o.error() : o.body());
    }

    private static boolean isJsonMessage(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json.isObject() && json.path("message").isTextual() && !json.path("message").asText().isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** The load runs for this long: a length of the scenario, not a wait for a condition. */
    private static void runFor(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private void createAccount(Replica replica, String org, String name, String admin) throws IOException {
        HttpResponse<String> created = call("POST", replica, "/api/v2/service-accounts/" + org, admin,
                "{\"name\":\"" + name + "\",\"description\":\"replicas\",\"privilege\":\"member\"}");
        assertEquals(201, created.statusCode(), () -> "create account on " + replica.name + ": " + created.body());
    }

    private JsonNode createKey(Replica replica, String org, String name, String admin) throws IOException {
        return ReplicaHarness.createKey(replica, keyPath(org, name), admin, "replicas", CLIENT_TIMEOUT);
    }

    /**
     * Presents the key where it authenticates but may not read (another org): 403 while the replica accepts it, 401
     * once it refuses it. The 403 is decided before any lookup, so probing costs the replica no query.
     */
    private HttpResponse<String> useKey(Replica replica, String org, String key) throws IOException {
        return call("GET", replica, "/api/v2/service-accounts/" + org + "-elsewhere/probe", key, null);
    }

    private static String keyPath(String org, String name) {
        return "/api/v2/service-accounts/" + org + "/" + name + "/api-keys";
    }

    private HttpResponse<String> call(String method, Replica replica, String path, String bearer, String body)
            throws IOException {
        return replica.call(method, path, bearer, body, CLIENT_TIMEOUT);
    }
}
