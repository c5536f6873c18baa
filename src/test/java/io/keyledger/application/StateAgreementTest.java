package io.keyledger.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.store.EventMetadata;
import io.keyledger.testing.ReadModelChecks;
import io.keyledger.testing.WriteSideTest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decisions are made on the locked read-model row, the aggregate's snapshot. That is only sound
 * if the row always says what folding the stream says: for seeded random command sequences run
 * through the real write path, fold each stream's stored events with {@code evolve} and compare
 * with the state the lock query loads; then rebuild the read models from the log and compare
 * the tables.
 */
@QuarkusTest
class StateAgreementTest extends WriteSideTest {

    static final String[] ACCOUNTS = {"alpha", "beta", "gamma"};
    static final int COMMANDS = 150;

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20261125L})
    void foldingTheStream_equalsTheLockedSnapshot_andARebuildGivesTheSameTables(long seed) {
        Random random = new Random(seed);
        String org = "agree-" + UUID.randomUUID().toString().substring(0, 8);
        EventMetadata metadata = new EventMetadata("prop", Map.of("type", "user", "subject", "prop"), "seed-" + seed);
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            String name = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
            try {
                switch (random.nextInt(7)) {
                    case 0 -> accounts.create(org, name, "d" + i, Privilege.values()[random.nextInt(4)], metadata)
                            .await().indefinitely();
                    case 1 -> accounts.update(org, name, random.nextBoolean() ? "u" + i : null,
                            random.nextBoolean() ? Privilege.values()[random.nextInt(4)] : Privilege.READER, metadata)
                            .await().indefinitely();
                    case 2 -> {
                        if (random.nextInt(4) == 0) {
                            accounts.delete(org, name, metadata).await().indefinitely();
                        }
                    }
                    case 3, 4 -> {
                        // beyond every expiry-warning threshold, so the live expiry scanner leaves these streams alone
                        long expiresAt = random.nextBoolean()
                                ? 0
                                : System.currentTimeMillis() / 1000 + 40 * 86_400L + random.nextInt(100_000);
                        keyIds.add(keys.create(org, name, "k" + i, expiresAt,
                                random.nextBoolean() ? null : java.util.List.of("orders:read", "k" + i), null, metadata)
                                .await().indefinitely().id());
                    }
                    case 5 -> keys.revoke(org, name, pick(random, keyIds), metadata).await().indefinitely();
                    default -> keyIds.add(keys
                            .rotate(org, name, pick(random, keyIds), 1 + random.nextInt(720),
                                    random.nextBoolean() ? null : 0L, null, null, metadata)
                            .await().indefinitely().issued().id());
                }
            } catch (Rejection expected) {
                // the random sequence asks for impossible things too (a missing key, a second create): fine
            }
        }
        for (String name : ACCOUNTS) {
            assertEquals(ReadModelChecks.fold(pool, org, name), ReadModelChecks.snapshot(pool, readModel, org, name),
                    "seed " + seed + ", account " + name);
        }
        List<String> before = ReadModelChecks.tables(pool, org);
        projector.rebuild().await().indefinitely();
        assertEquals(before, ReadModelChecks.tables(pool, org),
                "seed " + seed + ": a rebuild from the log gives the same read models");
        for (String name : ACCOUNTS) {
            assertEquals(ReadModelChecks.fold(pool, org, name), ReadModelChecks.snapshot(pool, readModel, org, name),
                    "seed " + seed + ", account " + name + ", after the rebuild");
        }
    }

    private static String pick(Random random, List<String> ids) {
        return ids.isEmpty() || random.nextInt(10) == 0
                ? UUID.randomUUID().toString()
                : ids.get(random.nextInt(ids.size()));
    }
}
