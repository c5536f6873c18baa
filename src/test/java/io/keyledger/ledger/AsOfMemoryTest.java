package io.keyledger.ledger;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.events.EventCodec;
import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.LedgerEntry;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * As-of on an org of 100,000 events (issue 20, finding 3): three concurrent org-wide calls keep
 * the live heap bounded. The events are written hash-chained with COPY, their read-model rows
 * beside them, as the projection would write them. The live heap is sampled right after explicit
 * full collections while the calls run, so garbage that is merely not collected yet does not count.
 */
@QuarkusTest
class AsOfMemoryTest {

    static final int ACCOUNTS = 100;
    static final int EVENTS_PER_ACCOUNT = 1000;
    static final long BOUND_BYTES = 96L * 1024 * 1024;

    @Test
    void threeConcurrentOrgWideAsOfCalls_onAnOrgOf100000Events_keepTheLiveHeapBounded() throws Exception {
        String org = Fixtures.newOrg();
        List<String> activeKeys = generate(org);
        // the projection matches the log: the read model lists the same active keys the fold finds
        for (int a = 0; a < ACCOUNTS; a += 37) {
            List<String> listed = Api.member(org).listKeys("sa-" + a).statusCode(200).extract().jsonPath()
                    .getList("id");
            assertEquals(List.of(activeKeys.get(a)), listed);
        }

        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                System.gc();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100); // the sampling period, not a wait for an outcome
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long asOf = Instant.now().getEpochSecond();
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(CompletableFuture
                    .supplyAsync(() -> Api.member(org).query("as_of", asOf).orgKeys().extract().response()));
        }
        try {
            for (CompletableFuture<Response> call : calls) {
                Response response = call.get(10, TimeUnit.MINUTES);
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(ACCOUNTS, response.jsonPath().getList("id").size());
                assertTrue(response.jsonPath().getList("id").containsAll(activeKeys));
            }
        } finally {
            running.set(false);
            sampler.join();
        }
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("as-of heap (live, after full GCs): before %d MB, peak during 3 calls %d MB, after %d MB%n",
                before >> 20, peak.get() >> 20, after >> 20);
        assertTrue(peak.get() - before < BOUND_BYTES, "live heap grew by " + ((peak.get() - before) >> 20) + " MB");
    }

    /** 100 accounts of 1,000 events each: created, 499 keys created and revoked, one key left active. */
    private static List<String> generate(String org) throws Exception {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        Instant base = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        JsonObject metadata = new EventMetadata("asof-admin", Map.of("type", "user", "subject", "asof-admin"), "asof")
                .toJson();
        List<String> active = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        StringBuilder accounts = new StringBuilder();
        StringBuilder keys = new StringBuilder();
        long n = 0;
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            db.setAutoCommit(false);
            for (int a = 0; a < ACCOUNTS; a++) {
                String name = "sa-" + a;
                String stream = "service-account:" + org + ":" + name;
                String prev = LedgerChain.GENESIS;
                String keyId = null;
                Instant created = base.plus(n++, ChronoUnit.MILLIS);
                accounts.append(org).append(',').append(name).append(",generated,member,").append(created)
                        .append(",asof-admin,").append(EVENTS_PER_ACCOUNT).append(",1\n");
                for (int version = 1; version <= EVENTS_PER_ACCOUNT; version++) {
                    Instant at = base.plus(n++, ChronoUnit.MILLIS);
                    DomainEvent event;
                    if (version == 1) {
                        event = new ServiceAccountCreated(org, name, "generated", Privilege.MEMBER, created,
                                "asof-admin");
                    } else if (version % 2 == 0) {
                        keyId = UUID.randomUUID().toString();
                        String hash = UUID.randomUUID().toString().replace("-", "")
                                + UUID.randomUUID().toString().replace("-", "");
                        event = new KeyCreated(keyId, org, name, "generated key " + version, hash, "p0", at, 0,
                                "asof-admin");
                        boolean last = version == EVENTS_PER_ACCOUNT;
                        keys.append(keyId).append(',').append(org).append(',').append(name).append(",generated key ")
                                .append(version).append(',').append(hash).append(',').append(at)
                                .append(",0,asof-admin,").append(last ? "" : at.plus(1, ChronoUnit.MILLIS).toString())
                                .append('\n');
                        if (last) {
                            active.add(keyId);
                        }
                    } else {
                        event = new KeyRevoked(keyId, org, name, at, "asof-admin", KeyRevoked.REVOKED);
                    }
                    EventCodec.Encoded encoded = EventCodec.encode(event);
                    String hash = LedgerChain.hash(prev, LedgerEntry.of(stream, version, encoded.type(),
                            encoded.schemaVersion(), encoded.data(), metadata, at));
                    events.append(UUID.randomUUID()).append(',').append(stream).append(',').append(version).append(',')
                            .append(encoded.type()).append(',').append(encoded.schemaVersion()).append(',')
                            .append(csv(encoded.data().encode())).append(',').append(csv(metadata.encode())).append(',')
                            .append(at).append(',').append(prev).append(',').append(hash).append('\n');
                    prev = hash;
                }
            }
            var copy = db.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn(
                    "COPY events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata,"
                            + " recorded_at, prev_hash, hash) FROM STDIN WITH (FORMAT csv)",
                    new StringReader(events.toString()));
            copy.copyIn(
                    "COPY service_accounts (org, name, description, privilege, created_at, created_by, stream_version,"
                            + " unrevoked_keys) FROM STDIN WITH (FORMAT csv)",
                    new StringReader(accounts.toString()));
            copy.copyIn(
                    "COPY api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by,"
                            + " revoked_at) FROM STDIN WITH (FORMAT csv)",
                    new StringReader(keys.toString()));
            db.commit();
        }
        return active;
    }

    private static String csv(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
