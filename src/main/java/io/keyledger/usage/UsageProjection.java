package io.keyledger.usage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code last_used_at} per key: only ever moves forward, whatever order usage arrives in. */
@ApplicationScoped
public class UsageProjection {

    /**
     * One statement for a whole batch. Keys not in the active-key model are skipped (they are
     * unknown, or revoked); GREATEST makes late and duplicate records harmless.
     */
    static final String APPLY_LATEST_USE = """
            INSERT INTO key_usage (key_id, last_used_at)
            SELECT u.key_id, u.used_at
              FROM unnest($1::text[], $2::timestamptz[]) AS u(key_id, used_at)
             WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = u.key_id AND k.revoked_at IS NULL)
            ON CONFLICT (key_id) DO UPDATE
               SET last_used_at = GREATEST(key_usage.last_used_at, EXCLUDED.last_used_at)
            RETURNING key_id""";

    @Inject
    Pool pool;

    /** Applies the latest use of each key; returns the ids that were known and applied. */
    public Uni<Set<String>> applyLatestUse(Map<String, Instant> latestUseByKey) {
        if (latestUseByKey.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] ids = new String[latestUseByKey.size()];
        OffsetDateTime[] times = new OffsetDateTime[latestUseByKey.size()];
        int i = 0;
        for (var entry : latestUseByKey.entrySet()) {
            ids[i] = entry.getKey();
            times[i++] = entry.getValue().atOffset(ZoneOffset.UTC);
        }
        return pool.preparedQuery(APPLY_LATEST_USE).execute(Tuple.of(ids, times)).map(rows -> {
            Set<String> applied = new HashSet<>();
            for (Row row : rows) {
                applied.add(row.getString("key_id"));
            }
            return applied;
        });
    }
}
