package io.keyledger.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An open-loop load of key creations at a steady rate, spread round robin over the replicas in rotation and over
 * many service accounts (each holds at most a few dozen keys, far from the active-key cap). Every request is sent
 * with the same client timeout and every outcome is kept, so a test can account for each one. When the box cannot
 * keep up (more than {@code maxInFlight} requests outstanding) a tick's request is not sent and counted as skipped:
 * the achieved rate is then reported, never asserted.
 */
final class SteadyCreates implements AutoCloseable {

    /** One service account the load creates keys in, with the admin token of its org. */
    record Account(String org, String name, String adminToken) {
    }

    /** What happened to one request: a response, or an error (connection refused, timeout). */
    record Outcome(String replica, int status, String contentType, String retryAfter, String body, String keyId,
            Throwable error, long sentAtNanos, long tookMillis) {
        boolean created() {
            return status == 201 && keyId != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TICKS_PER_SECOND = 100;

    private final HttpClient http;
    private final Supplier<List<Replica>> rotation;
    private final List<Account> accounts;
    private final int perSecond;
    private final Duration clientTimeout;
    private final Semaphore inFlight;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "steady-creates");
        thread.setDaemon(true);
        return thread;
    });
    private final int maxInFlight;
    private long startedNanos;
    private long stoppedNanos;
    private double carry;

    SteadyCreates(HttpClient http, Supplier<List<Replica>> rotation, List<Account> accounts, int perSecond,
            Duration clientTimeout, int maxInFlight) {
        this.http = http;
        this.rotation = rotation;
        this.accounts = List.copyOf(accounts);
        this.perSecond = perSecond;
        this.clientTimeout = clientTimeout;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    SteadyCreates start() {
        startedNanos = System.nanoTime();
        ticker.scheduleAtFixedRate(this::tick, 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        carry += (double) perSecond / TICKS_PER_SECOND;
        while (carry >= 1) {
            carry -= 1;
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet();
                continue;
            }
            send(sent.getAndIncrement());
        }
    }

    private void send(long n) {
        List<Replica> replicas = rotation.get();
        Replica replica = replicas.get((int) (n % replicas.size()));
        Account account = accounts.get((int) (n % accounts.size()));
        HttpRequest request = HttpRequest
                .newBuilder(
                        replica.api("/api/v2/service-accounts/" + account.org() + "/" + account.name() + "/api-keys"))
                .timeout(clientTimeout).header("Authorization", "Bearer " + account.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"load " + n + "\"}")).build();
        long sentAt = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            try {
                if (error != null) {
                    outcomes.add(new Outcome(replica.name, 0, null, null, null, null, error, sentAt, took));
                } else {
                    String keyId = null;
                    if (response.statusCode() == 201) {
                        JsonNode body = JSON.readTree(response.body());
                        keyId = body.path("id").asText(null);
                    }
                    outcomes.add(new Outcome(replica.name, response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(null),
                            response.headers().firstValue("Retry-After").orElse(null), response.body(), keyId, null,
                            sentAt, took));
                }
            } catch (Exception e) {
                outcomes.add(new Outcome(replica.name, response == null ? 0 : response.statusCode(), null, null,
                        response == null ? null : response.body(), null, e, sentAt, took));
            } finally {
                inFlight.release();
            }
        });
    }

    /** Stops sending and waits for every request in flight to end (each ends by its client timeout at the latest). */
    SteadyCreates stop() {
        ticker.shutdown();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            stoppedNanos = System.nanoTime();
            if (!inFlight.tryAcquire(maxInFlight, clientTimeout.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("requests still in flight " + clientTimeout.plusSeconds(10)
                        + " after the load stopped, past the client timeout of " + clientTimeout);
            }
            inFlight.release(maxInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }

    long sent() {
        return sent.get();
    }

    long skipped() {
        return skipped.get();
    }

    /** Requests sent per second over the time the load ran. */
    double sentPerSecond() {
        return sent.get() / seconds();
    }

    /** 201s per second over the time the load ran. */
    double createdPerSecond() {
        return outcomes.stream().filter(Outcome::created).count() / seconds();
    }

    private double seconds() {
        long end = stoppedNanos == 0 ? System.nanoTime() : stoppedNanos;
        return (end - startedNanos) / 1e9;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
