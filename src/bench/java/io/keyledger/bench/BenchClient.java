package io.keyledger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * HTTP helpers of the benchmark that wrk cannot do: methods {@link BenchRun} calls, and commands to run one by hand.
 *
 * <ul>
 *   <li>{@code seed-accounts <base-url> <token-file> <org> <prefix> <count>}: creates the
 *   service accounts the load spreads over ({@code <prefix>00000 ...}).</li>
 *   <li>{@code paced-creates <base-url> <token-file> <org> <prefix> <accounts> <rate>
 *   <warmup-seconds> <seconds> <bootstrap> <topic> <out.json>}: creates keys at a steady rate (open loop: latency counts
 *   from the intended send time, so a stall is not hidden), while a consumer on the event topic
 *   measures when each event becomes readable on Kafka, against its {@code ce_time} (the
 *   event's {@code recorded_at}). It also reads the relay's own lag quantiles from /q/metrics.</li>
 *   <li>{@code make-keys <base-url> <token-file> <org> <prefix> <count> <per-account> <values-file> <ids-file>}:
 *   creates {@code count} keys, {@code per-account} on each of {@code <prefix>00000 ...}, and writes their values
 *   (for the verification phases; the run deletes the file when it ends) and their {@code org account id} lines.</li>
 * </ul>
 */
public final class BenchClient {

    private BenchClient() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed-accounts" -> System.out.printf("service accounts ready: %d of %s%n",
                    seedAccounts(args[1], token(args[2]), args[3], args[4], Integer.parseInt(args[5])), args[5]);
            case "paced-creates" -> System.out.println(BenchSupport.JSON.writeValueAsString(
                    pacedCreates(args[1], BenchSupport.managementUrl(args[1]), token(args[2]), args[3], args[4],
                            Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                            Integer.parseInt(args[8]), args[9], args[10], Path.of(args[11]))));
            case "make-keys" -> {
                makeKeys(args[1], token(args[2]), args[3], args[4], Integer.parseInt(args[5]),
                        Integer.parseInt(args[6]), Path.of(args[7]), Path.of(args[8]));
                System.out.printf("keys created: %s%n", args[5]);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static String accountName(String prefix, int i) {
        return String.format("%s%05d", prefix, i);
    }

    private static String token(String file) throws Exception {
        return Files.readString(Path.of(file)).trim();
    }

    /** Creates the accounts (409, already there, counts as ready); throws on any other answer. */
    static int seedAccounts(String baseUrl, String token, String org, String prefix, int count) throws Exception {
        HttpClient client = BenchSupport.http();
        Semaphore inFlight = new Semaphore(16);
        AtomicInteger created = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = "{\"name\":\"" + accountName(prefix, i)
                    + "\",\"privilege\":\"admin\",\"description\":\"bench\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/service-accounts/" + org))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.acquire();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    failures.add(error.toString());
                } else if (response.statusCode() == 201 || response.statusCode() == 409) {
                    created.incrementAndGet();
                } else {
                    failures.add(response.statusCode() + " " + response.body());
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(120,
                TimeUnit.SECONDS);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("seeding " + prefix + "*: first failure: " + failures.peek());
        }
        return created.get();
    }

    static void makeKeys(String baseUrl, String token, String org, String prefix, int count, int perAccount,
            Path valuesFile, Path idsFile) throws Exception {
        HttpClient client = BenchSupport.http();
        Semaphore inFlight = new Semaphore(16);
        String[] values = new String[count];
        String[] ids = new String[count];
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            String account = accountName(prefix, i / perAccount);
            HttpRequest request = HttpRequest
                    .newBuilder(URI.create(baseUrl + "/api/v2/service-accounts/" + org + "/" + account + "/api-keys"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"bench verification\"}")).build();
            inFlight.acquire();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    failures.add(error.toString());
                } else if (response.statusCode() == 201) {
                    try {
                        var body = BenchSupport.JSON.readTree(response.body());
                        values[index] = body.path("key").asText();
                        ids[index] = org + " " + account + " " + body.path("id").asText();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                } else {
                    failures.add(String.valueOf(response.statusCode()));
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(120,
                TimeUnit.SECONDS);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("creating keys on " + prefix + "*: first failure: " + failures.peek());
        }
        Files.write(valuesFile, List.of(values));
        Files.write(idsFile, List.of(ids));
    }

    /** The publication-lag phase; writes {@code out} and returns what it wrote. */
    static Map<String, Object> pacedCreates(String baseUrl, String managementUrl, String token, String org,
            String prefix, int accounts, int rate, int warmupSeconds, int seconds, String bootstrap, String topic,
            Path out) throws Exception {
        HttpClient client = BenchSupport.http();
        String metricsBefore = BenchSupport.scrape(client, managementUrl);
        double publishedBefore = BenchSupport.sum(metricsBefore, "keyledger_relay_events_published_total");

        // the observer: from the end of the topic, so only this phase's events count
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        ConcurrentLinkedQueue<Double> publicationLagMs = new ConcurrentLinkedQueue<>();
        AtomicBoolean observing = new AtomicBoolean(true);
        // events appended after the warm-up are the measured ones
        AtomicReference<Instant> measureFrom = new AtomicReference<>(Instant.MAX);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread observer = new Thread(() -> {
            while (observing.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    Instant seen = Instant.now();
                    Header time = record.headers().lastHeader("ce_time");
                    if (time != null) {
                        Instant recorded = Instant.parse(new String(time.value(), StandardCharsets.UTF_8));
                        if (!recorded.isBefore(measureFrom.get())) {
                            publicationLagMs.add(Duration.between(recorded, seen).toNanos() / 1e6);
                        }
                    }
                }
            }
            consumer.close(Duration.ofSeconds(2));
        }, "bench-observer");
        observer.start();

        // the load: open loop at a fixed rate, spread round-robin over the accounts
        int warmup = rate * warmupSeconds;
        int total = warmup + rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        long startNanos = System.nanoTime();
        measureFrom.set(Instant.now().plusSeconds(warmupSeconds));
        long measureFromNanos = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
        ConcurrentLinkedQueue<Double> latencyMs = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger okWarmup = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger failedWarmup = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> failureCauses = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong behind = new AtomicLong();
        List<CompletableFuture<?>> all = new ArrayList<>(total);
        String body = "{\"description\":\"bench paced\"}";
        long start = startNanos;
        for (int i = 0; i < total; i++) {
            long intended = start + i * intervalNanos;
            boolean measured = intended >= measureFromNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (-wait > 10_000_000L && measured) {
                behind.incrementAndGet();
            }
            String path = "/api/v2/service-accounts/" + org + "/" + accountName(prefix, i % accounts) + "/api-keys";
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 201) {
                    if (measured) {
                        // a failure's latency (a time-out, a refused connection) is no create latency: failures
                        // are counted apart
                        latencyMs.add((System.nanoTime() - intended) / 1e6);
                    }
                    (measured ? ok : okWarmup).incrementAndGet();
                } else {
                    (measured ? failed : failedWarmup).incrementAndGet();
                    failures.add(error != null ? error.toString() : response.statusCode() + " " + response.body());
                    if (measured) {
                        failureCauses.computeIfAbsent(failureCause(response, error), c -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            }));
        }
        long sendNanos = System.nanoTime() - measureFromNanos;
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(60, TimeUnit.SECONDS);
        double achievedRate = (total - warmup) / (sendNanos / 1e9);

        // every created key's event should reach Kafka; wait (bounded) for the stragglers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (publicationLagMs.size() < ok.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        observing.set(false);
        observer.join(5_000);

        String metricsAfter = BenchSupport.scrape(client, managementUrl);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("phase", "publication_lag");
        result.put("target_rate", rate);
        result.put("achieved_send_rate", BenchSupport.round(achievedRate));
        result.put("seconds", seconds);
        result.put("warmup_seconds", warmupSeconds);
        int attempted = total - warmup;
        result.put("attempted", attempted);
        result.put("created", ok.get());
        result.put("failed", failed.get());
        result.put("failed_in_warmup", failedWarmup.get());
        Map<String, Integer> causes = new java.util.TreeMap<>();
        failureCauses.forEach((cause, n) -> causes.put(cause, n.get()));
        result.put("failure_causes", causes);
        // most creates failed: what was measured is the failure, not the service at this rate
        result.put("status", phaseStatus(attempted, failed.get()));
        result.put("sends_late_over_10ms", behind.get());
        if (!failures.isEmpty()) {
            result.put("first_failure", failures.peek());
        }
        result.put("create_latency", BenchSupport.summary(toArray(latencyMs)));
        Map<String, Object> observed = BenchSupport.summary(toArray(publicationLagMs));
        observed.put("missing", Math.max(0, ok.get() - publicationLagMs.size()));
        result.put("observed_lag", observed);
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("p50_ms",
                millis(BenchSupport.sum(metricsAfter, "keyledger_relay_publication_lag_seconds", "quantile=\"0.5\"")));
        relay.put("p99_ms",
                millis(BenchSupport.sum(metricsAfter, "keyledger_relay_publication_lag_seconds", "quantile=\"0.99\"")));
        relay.put("max_ms", millis(BenchSupport.sum(metricsAfter, "keyledger_relay_publication_lag_seconds_max")));
        relay.put("published_in_phase", BenchSupport
                .round(BenchSupport.sum(metricsAfter, "keyledger_relay_events_published_total") - publishedBefore));
        result.put("relay_metric", relay);
        BenchSupport.writeJson(out, result);
        return result;
    }

    /** FAILED when most measured requests failed (their figures then describe the failures), else ok. */
    static String phaseStatus(int attempted, int failed) {
        return attempted == 0 || 2L * failed > attempted ? "FAILED" : "ok";
    }

    /** A short, countable cause: the HTTP status, or the exception's class (a connect time-out, a refused connection...). */
    static String failureCause(HttpResponse<String> response, Throwable error) {
        if (error == null) {
            return "HTTP " + response.statusCode();
        }
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    private static Double millis(double seconds) {
        return BenchSupport.round(seconds * 1000.0);
    }

    private static double[] toArray(ConcurrentLinkedQueue<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
