package io.keyledger.projection;

import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ReadModelChecks;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectionRebuildTest {

    static final String SNAPSHOT_ACCOUNTS = """
            SELECT org || '|' || name || '|' || description || '|' || privilege || '|' || created_at || '|' || created_by
                   || '|' || stream_version AS line FROM service_accounts ORDER BY org, name""";
    static final String SNAPSHOT_KEYS = """
            SELECT id || '|' || org || '|' || service_account || '|' || description || '|' || key_hash || '|'
                   || created_at || '|' || expires_at || '|' || created_by || '|' || coalesce(revoked_at::text, '-') AS line
              FROM api_keys ORDER BY id""";
    static final String SNAPSHOT_USAGE = "SELECT key_id || '|' || last_used_at AS line FROM key_usage ORDER BY key_id";

    @Inject
    Pool pool;

    @Inject
    Projector projector;

    @Test
    void rebuildFromPositionZero_reproducesTheReadModelsExactly_andKeepsUsage() {
        String org = Fixtures.newOrgWithAccounts("alpha", "beta");
        String kept = Fixtures.createKey(org, "alpha", "kept");
        String revoked = Fixtures.createKey(org, "alpha", "revoked");
        Fixtures.createKey(org, "beta", "other");
        Api.admin(org).revoke("alpha", revoked).statusCode(200);
        pool.query("INSERT INTO key_usage (key_id, last_used_at) VALUES ('" + kept + "', now())").execute().await()
                .indefinitely();

        List<String> accounts = ReadModelChecks.lines(pool, SNAPSHOT_ACCOUNTS);
        List<String> keys = ReadModelChecks.lines(pool, SNAPSHOT_KEYS);
        List<String> usage = ReadModelChecks.lines(pool, SNAPSHOT_USAGE);
        assertTrue(keys.stream().anyMatch(line -> line.startsWith(kept)));
        assertTrue(keys.stream().anyMatch(line -> line.startsWith(revoked) && !line.endsWith("|-")),
                "revoked is marked");

        long replayed = projector.rebuild().await().indefinitely().events();

        assertTrue(replayed >= 6, "replayed " + replayed);
        assertEquals(accounts, ReadModelChecks.lines(pool, SNAPSHOT_ACCOUNTS));
        assertEquals(keys, ReadModelChecks.lines(pool, SNAPSHOT_KEYS));
        assertEquals(usage, ReadModelChecks.lines(pool, SNAPSHOT_USAGE));
        Api.admin(org).getKey("alpha", kept).statusCode(200).body("last_used_at", notNullValue());
    }
}
