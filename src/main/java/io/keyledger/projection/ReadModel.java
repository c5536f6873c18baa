package io.keyledger.projection;

import io.keyledger.keys.Keyring;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Queries over the read models. */
@ApplicationScoped
public class ReadModel {

    static final String FIND_ACCOUNT = """
            SELECT org, name, description, privilege, created_at
              FROM service_accounts WHERE org = $1 AND name = $2""";
    static final String LOCK_ACCOUNT_VERSION =
            "SELECT stream_version FROM service_accounts WHERE org = $1 AND name = $2 FOR UPDATE";
    static final String UNREVOKED_KEYS =
            "SELECT id, expires_at FROM api_keys WHERE org = $1 AND service_account = $2";
    static final String FIND_ACTIVE_KEY = """
            SELECT k.id, k.description, k.created_at, k.expires_at, u.last_used_at
              FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id
             WHERE k.id = $1 AND k.org = $2 AND k.service_account = $3
               AND (k.expires_at = 0 OR k.expires_at > $4)""";

    @Inject
    Pool pool;

    public Uni<Optional<ServiceAccountView>> findServiceAccount(String org, String name) {
        return pool.preparedQuery(FIND_ACCOUNT).execute(Tuple.of(org, name))
                .map(rows -> first(rows).map(row -> new ServiceAccountView(row.getString("org"), row.getString("name"),
                        row.getString("description"), row.getString("privilege"), instant(row, "created_at"))));
    }

    public Uni<Optional<ActiveKeyView>> findActiveKey(String org, String serviceAccount, String keyId, Instant now) {
        return pool.preparedQuery(FIND_ACTIVE_KEY).execute(Tuple.of(keyId, org, serviceAccount, now.getEpochSecond()))
                .map(rows -> first(rows).map(row -> new ActiveKeyView(row.getString("id"), row.getString("description"),
                        instant(row, "created_at"), row.getLong("expires_at"), instant(row, "last_used_at"))));
    }

    /**
     * The decision state for a service account's keys, read inside the write transaction.
     * The account row is locked FOR UPDATE, so writers to one service account queue up
     * instead of failing on the stream-version constraint; the read model is the aggregate's
     * snapshot, always current because it is written in the same transaction as the events.
     */
    public Uni<Keyring> lockKeyring(SqlConnection tx, String org, String serviceAccount) {
        return tx.preparedQuery(LOCK_ACCOUNT_VERSION).execute(Tuple.of(org, serviceAccount)).chain(rows -> {
            Optional<Row> account = first(rows);
            if (account.isEmpty()) {
                return Uni.createFrom().item(Keyring.missing());
            }
            int version = account.get().getInteger("stream_version");
            return tx.preparedQuery(UNREVOKED_KEYS).execute(Tuple.of(org, serviceAccount)).map(keys -> {
                Map<String, Long> expiry = new HashMap<>();
                for (Row key : keys) {
                    expiry.put(key.getString("id"), key.getLong("expires_at"));
                }
                return new Keyring(true, version, expiry);
            });
        });
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
