package io.keyledger.projection;

import io.keyledger.serviceaccount.KeysToLoad;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.store.WritePath;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Queries over the read models. */
@ApplicationScoped
public class ReadModel {

    static final String FIND_ACCOUNT = """
            SELECT org, name, description, privilege, created_at
              FROM service_accounts WHERE org = $1 AND name = $2 AND deleted_at IS NULL""";
    static final String LIST_ACCOUNTS = """
            SELECT org, name, description, privilege, created_at
              FROM service_accounts WHERE org = $1 AND deleted_at IS NULL ORDER BY name""";
    /** Every account name the org ever had, deleted ones too (each is a stream of the log), by name after $2. */
    static final String ACCOUNT_NAMES_EVER = "SELECT name FROM service_accounts WHERE org = $1 AND name > $2 ORDER BY name LIMIT $3";

    static final String LOCK_ACCOUNT = """
            SELECT stream_version, deleted_at, description, privilege, created_at, created_by, unrevoked_keys
              FROM service_accounts WHERE org = $1 AND name = $2 FOR UPDATE""";
    static final String KEY_COLUMNS = "SELECT " + AccountRows.KEY_COLUMNS + " FROM api_keys";
    static final String UNREVOKED_KEYS = KEY_COLUMNS
            + " WHERE org = $1 AND service_account = $2 AND revoked_at IS NULL";
    static final String UNREVOKED_KEY = KEY_COLUMNS
            + " WHERE id = $3 AND org = $1 AND service_account = $2 AND revoked_at IS NULL";
    /** The unrevoked keys that lapse soonest, from the partial index api_keys_lapsing_by_account. */
    static final String SOONEST_LAPSING_KEYS = KEY_COLUMNS
            + " WHERE org = $1 AND service_account = $2 AND revoked_at IS NULL AND expires_at > 0 ORDER BY expires_at LIMIT $3";

    static final String FIND_ACTIVE_KEY = """
            SELECT k.id, k.description, k.created_at, k.expires_at, u.last_used_at, k.disabled_at, k.disabled_reason, k.scopes, k.allowed_cidrs
              FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id
             WHERE k.id = $1 AND k.org = $2 AND k.service_account = $3 AND k.revoked_at IS NULL
               AND (k.expires_at = 0 OR k.expires_at > $4)""";
    /**
     * A key of a deleted account is refused as revoked whatever its own row says: deleting an account
     * revokes its keys, and verification must not depend on every one of those revocations having been
     * projected (a rebuild that lost one once brought keys back).
     */
    static final String REFUSED = "(k.revoked_at IS NOT NULL OR s.deleted_at IS NOT NULL) AS revoked";

    static final String FIND_KEY_BY_HASH = "SELECT k.id, k.org, k.service_account, k.expires_at, " + REFUSED
            + ", k.disabled_at IS NOT NULL AS disabled, k.scopes, k.allowed_cidrs, k.key_hash, k.pepper_id, s.privilege FROM api_keys k JOIN service_accounts s ON s.org = k.org AND s.name = k.service_account"
            + " WHERE k.key_hash = $1";
    static final String FIND_POLICY = "SELECT max_lifetime_days, on_leak, updated_at, updated_by, stream_version FROM org_key_policies WHERE org = $1";
    static final String LOCK_POLICY = FIND_POLICY + " FOR UPDATE";
    static final String FIND_KEYS_BY_HASHES = "SELECT k.id, k.org, k.service_account, k.expires_at, " + REFUSED
            + ", k.disabled_at IS NOT NULL AS disabled,"
            + " k.scopes, k.allowed_cidrs, k.key_hash, k.pepper_id, s.privilege"
            + " FROM api_keys k JOIN service_accounts s ON s.org = k.org AND s.name = k.service_account"
            + " WHERE k.key_hash = ANY($1::text[])";
    static final String LIST_ACTIVE_KEYS = """
            SELECT k.id, k.description, k.created_at, k.expires_at, u.last_used_at, k.disabled_at, k.disabled_reason, k.scopes, k.allowed_cidrs
              FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id
             WHERE k.org = $1 AND k.service_account = $2 AND k.revoked_at IS NULL
               AND (k.expires_at = 0 OR k.expires_at > $3)
             ORDER BY k.created_at DESC, k.id""";

    @Inject
    Pool pool;

    public Uni<Optional<ServiceAccountView>> findServiceAccount(String org, String name) {
        return findServiceAccount(pool, org, name);
    }

    /** The account as {@code client} sees it: inside a write transaction, that includes the write. */
    public Uni<Optional<ServiceAccountView>> findServiceAccount(io.vertx.mutiny.sqlclient.SqlClient client, String org,
            String name) {
        return client.preparedQuery(FIND_ACCOUNT).execute(Tuple.of(org, name))
                .map(rows -> first(rows).map(ReadModel::account));
    }

    public Uni<List<ServiceAccountView>> listServiceAccounts(String org) {
        return pool.preparedQuery(LIST_ACCOUNTS).execute(Tuple.of(org)).map(rows -> {
            List<ServiceAccountView> accounts = new ArrayList<>(rows.size());
            for (Row row : rows) {
                accounts.add(account(row));
            }
            return accounts;
        });
    }

    /** A page of the names of the org's accounts, deleted ones too, after {@code afterName} ("" from the start). */
    public Uni<List<String>> accountNamesEver(String org, String afterName, int limit) {
        return pool.preparedQuery(ACCOUNT_NAMES_EVER).execute(Tuple.of(org, afterName, limit)).map(rows -> {
            List<String> names = new ArrayList<>(rows.size());
            for (Row row : rows) {
                names.add(row.getString("name"));
            }
            return names;
        });
    }

    private static ServiceAccountView account(Row row) {
        return new ServiceAccountView(row.getString("org"), row.getString("name"), row.getString("description"),
                row.getString("privilege"), instant(row, "created_at"));
    }

    public Uni<Optional<ActiveKeyView>> findActiveKey(String org, String serviceAccount, String keyId, Instant now) {
        return pool.preparedQuery(FIND_ACTIVE_KEY).execute(Tuple.of(keyId, org, serviceAccount, now.getEpochSecond()))
                .map(rows -> first(rows).map(ReadModel::activeKey));
    }

    /** A key by its hash, revoked or not: what verification needs. */
    public Uni<Optional<VerifiedKey>> findKeyByHash(String keyHash) {
        return pool.preparedQuery(FIND_KEY_BY_HASH).execute(Tuple.of(keyHash))
                .map(rows -> first(rows).map(row -> new VerifiedKey(row.getString("id"), row.getString("org"),
                        row.getString("service_account"), row.getString("privilege"), row.getLong("expires_at"),
                        row.getBoolean("revoked"), row.getBoolean("disabled"), row.getString("key_hash"),
                        row.getString("pepper_id"), scopes(row), strings(row, "allowed_cidrs"))));
    }

    /** Every active key of an org with its account, usage and the org's policy, newest first. */
    static final String CREDENTIAL_REPORT = "SELECT k.org, k.service_account, s.privilege, k.id, k.description, k.created_at,"
            + " k.expires_at, u.last_used_at, p.max_lifetime_days, k.scopes, k.allowed_cidrs, k.disabled_at"
            + " FROM api_keys k JOIN service_accounts s ON s.org = k.org AND s.name = k.service_account"
            + " LEFT JOIN key_usage u ON u.key_id = k.id LEFT JOIN org_key_policies p ON p.org = k.org"
            + " WHERE k.org = $1 AND k.revoked_at IS NULL AND (k.expires_at = 0 OR k.expires_at > $2)"
            + " AND coalesce(u.last_used_at, k.created_at) <= $3"
            + " ORDER BY k.service_account, k.created_at DESC, k.id LIMIT $4";
    /** The page after the key ($5 account, $6 created_at, $7 id) that ended the last one, in the same order. */
    static final String CREDENTIAL_REPORT_AFTER = CREDENTIAL_REPORT.replace(" ORDER BY", " AND (k.service_account > $5"
            + " OR (k.service_account = $5 AND (k.created_at < $6 OR (k.created_at = $6 AND k.id > $7)))) ORDER BY");

    /** A key as the credential report shows it; scopes and allowed CIDRs null when it has none, disabledAt when not. */
    public record ReportedKey(String serviceAccount, String privilege, String id, String description, Instant createdAt,
            long expiresAt, Instant lastUsedAt, Integer policyMaxLifetimeDays, List<String> scopes,
            List<String> allowedCidrs, Instant disabledAt) {
    }

    /**
     * The credential report in pages by key (keyset pagination): every active key of the org unused
     * since {@code unusedSince} (a never-used key counts from its creation). Each page is a short
     * query on the pool, and the next one is only read when the subscriber has asked for more, so a
     * client that stops reading holds no connection and no transaction, only the page it was sent.
     */
    public io.smallrye.mutiny.Multi<ReportedKey> credentialReport(String org, Instant now, Instant unusedSince,
            int pageSize) {
        OffsetDateTime since = unusedSince.atOffset(java.time.ZoneOffset.UTC);
        return io.smallrye.mutiny.Multi.createBy().repeating()
                .uni(() -> new ReportedKey[1], last -> reportPage(org, now.getEpochSecond(), since, pageSize, last))
                .whilst(page -> page.size() == pageSize).onItem().<ReportedKey>disjoint();
    }

    private Uni<List<ReportedKey>> reportPage(String org, long now, OffsetDateTime since, int pageSize,
            ReportedKey[] last) {
        ReportedKey after = last[0];
        Uni<RowSet<Row>> rows = after == null
                ? pool.preparedQuery(CREDENTIAL_REPORT).execute(Tuple.of(org, now, since, pageSize))
                : pool.preparedQuery(CREDENTIAL_REPORT_AFTER).execute(Tuple.from(List.of(org, now, since, pageSize,
                        after.serviceAccount(), after.createdAt().atOffset(java.time.ZoneOffset.UTC), after.id())));
        return rows.map(page -> {
            List<ReportedKey> keys = new ArrayList<>(page.size());
            for (Row row : page) {
                keys.add(new ReportedKey(row.getString("service_account"), row.getString("privilege"),
                        row.getString("id"), row.getString("description"), instant(row, "created_at"),
                        row.getLong("expires_at"), instant(row, "last_used_at"), row.getInteger("max_lifetime_days"),
                        scopes(row), strings(row, "allowed_cidrs"), instant(row, "disabled_at")));
            }
            if (!keys.isEmpty()) {
                last[0] = keys.get(keys.size() - 1);
            }
            return keys;
        });
    }

    static final String DUE_NOTICES = "SELECT id, org, service_account FROM api_keys"
            + " WHERE next_notice_at <= $1 AND revoked_at IS NULL AND replaced_by IS NULL AND next_notice_at IS NOT NULL"
            + " ORDER BY next_notice_at LIMIT $2";
    static final String SET_NEXT_NOTICE = "UPDATE api_keys SET next_notice_at = $2 WHERE id = $1";

    /** A key the expiry scanner should look at now. */
    public record DueKey(String id, String org, String serviceAccount) {
    }

    /** Keys due a notice at {@code nowSeconds}, earliest first: an index range, never a scan of all keys. */
    public Uni<List<DueKey>> keysDueNotice(long nowSeconds, int limit) {
        return pool.preparedQuery(DUE_NOTICES).execute(Tuple.of(nowSeconds, limit)).map(rows -> {
            List<DueKey> due = new ArrayList<>(rows.size());
            for (Row row : rows) {
                due.add(new DueKey(row.getString("id"), row.getString("org"), row.getString("service_account")));
            }
            return due;
        });
    }

    /** When the scanner should next look at a key (null: never). Scan bookkeeping, not a projection of events. */
    public Uni<Void> setNextNotice(String keyId, Long at) {
        return pool.preparedQuery(SET_NEXT_NOTICE).execute(Tuple.of(keyId, at)).replaceWithVoid();
    }

    /** An org's key policy; {@link OrgKeyPolicy#none()} when it never set one. */
    public Uni<OrgKeyPolicy> orgKeyPolicy(String org) {
        return pool.preparedQuery(FIND_POLICY).execute(Tuple.of(org))
                .map(rows -> first(rows).map(ReadModel::policy).orElse(OrgKeyPolicy.none()));
    }

    /**
     * An org's key policy as a command's transaction sees it (not locked: a policy change is its own stream, and a
     * key issued while it commits was decided under the policy before it).
     */
    public Uni<OrgKeyPolicy> orgKeyPolicy(SqlConnection tx, String org) {
        return tx.preparedQuery(FIND_POLICY).execute(Tuple.of(org))
                .map(rows -> first(rows).map(ReadModel::policy).orElse(OrgKeyPolicy.none()));
    }

    /** The write path's snapshot of an org's policy stream, locked. */
    public WritePath.StateLoader<OrgKeyPolicy> lockedPolicy(String org) {
        return tx -> tx.preparedQuery(LOCK_POLICY).execute(Tuple.of(org))
                .map(rows -> first(rows)
                        .map(row -> new WritePath.Snapshot<>(policy(row), row.getInteger("stream_version")))
                        .orElse(new WritePath.Snapshot<>(OrgKeyPolicy.none(), 0)));
    }

    private static OrgKeyPolicy policy(Row row) {
        return new OrgKeyPolicy(row.getInteger("max_lifetime_days"),
                OrgKeyPolicy.OnLeak.ofWireName(row.getString("on_leak")), instant(row, "updated_at"),
                row.getString("updated_by"));
    }

    /** Keys by any of their hashes, revoked or not: one query for a batch of presented keys. */
    public Uni<List<VerifiedKey>> findKeysByHashes(List<String> keyHashes) {
        return pool.preparedQuery(FIND_KEYS_BY_HASHES).execute(Tuple.of(keyHashes.toArray(new String[0]))).map(rows -> {
            List<VerifiedKey> keys = new ArrayList<>(rows.size());
            for (Row row : rows) {
                keys.add(new VerifiedKey(row.getString("id"), row.getString("org"), row.getString("service_account"),
                        row.getString("privilege"), row.getLong("expires_at"), row.getBoolean("revoked"),
                        row.getBoolean("disabled"), row.getString("key_hash"), row.getString("pepper_id"), scopes(row),
                        strings(row, "allowed_cidrs")));
            }
            return keys;
        });
    }

    /** Active keys (neither revoked, nor expired, nor of a deleted account) by the pepper their hash needs. */
    static final String ACTIVE_KEYS_BY_PEPPER = "SELECT k.pepper_id, count(*) AS keys FROM api_keys k"
            + " JOIN service_accounts s ON s.org = k.org AND s.name = k.service_account"
            + " WHERE k.revoked_at IS NULL AND s.deleted_at IS NULL AND (k.expires_at = 0 OR k.expires_at > $1)"
            + " GROUP BY k.pepper_id";

    /** How many active keys each pepper id still has at {@code now}: what says when an old pepper may be dropped. */
    public Uni<Map<String, Long>> activeKeysByPepper(Instant now) {
        return pool.preparedQuery(ACTIVE_KEYS_BY_PEPPER).execute(Tuple.of(now.getEpochSecond())).map(rows -> {
            Map<String, Long> counts = new HashMap<>();
            for (Row row : rows) {
                counts.put(row.getString("pepper_id"), row.getLong("keys"));
            }
            return counts;
        });
    }

    public Uni<List<ActiveKeyView>> listActiveKeys(String org, String serviceAccount, Instant now) {
        return pool.preparedQuery(LIST_ACTIVE_KEYS).execute(Tuple.of(org, serviceAccount, now.getEpochSecond()))
                .map(rows -> {
                    List<ActiveKeyView> keys = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        keys.add(activeKey(row));
                    }
                    return keys;
                });
    }

    /**
     * The write path's snapshot of a service account, read inside the write transaction, holding
     * every unrevoked key. The account row is locked FOR UPDATE, so writers to one service account
     * queue up instead of failing on the stream-version constraint. The read model is the
     * aggregate's snapshot, always current because it is written in the same transaction as the
     * events; {@code StateAgreementTest} holds it equal to folding the stream.
     */
    public WritePath.StateLoader<ServiceAccount> lockedState(String org, String serviceAccount) {
        return lockedState(org, serviceAccount, KeysToLoad.all());
    }

    /**
     * The locked snapshot holding only the keys {@code keys} names: the account row carries the
     * stream version and the unrevoked-key count, so creating a key below the cap reads that one
     * row and nothing else, however many keys the account holds.
     */
    public WritePath.StateLoader<ServiceAccount> lockedState(String org, String serviceAccount, KeysToLoad keys) {
        return tx -> tx.preparedQuery(LOCK_ACCOUNT).execute(Tuple.of(org, serviceAccount)).chain(rows -> {
            Optional<Row> account = first(rows);
            if (account.isEmpty()) {
                return Uni.createFrom().item(new WritePath.Snapshot<>(ServiceAccount.initial(), 0));
            }
            Row row = account.get();
            int unrevoked = row.getInteger("unrevoked_keys");
            if (row.getOffsetDateTime("deleted_at") != null) {
                // deleted: the stream carries on at its version if the name is created again
                return Uni.createFrom().item(
                        new WritePath.Snapshot<>(AccountRows.state(row, List.of()), row.getInteger("stream_version")));
            }
            Uni<List<Row>> held = switch (keys.kind()) {
                case NONE -> Uni.createFrom().item(List.of());
                case ONE -> rows(tx.preparedQuery(UNREVOKED_KEY).execute(Tuple.of(org, serviceAccount, keys.keyId())));
                case ROOM_FOR_ONE -> unrevoked < keys.cap()
                        ? Uni.createFrom().item(List.of())
                        // at the cap: the (count - cap + 1) soonest-lapsing keys decide whether one more
                        // fits
                        : rows(tx.preparedQuery(SOONEST_LAPSING_KEYS)
                                .execute(Tuple.of(org, serviceAccount, unrevoked - keys.cap() + 1)));
                case ONE_AND_ROOM_FOR_ONE -> {
                    Uni<List<Row>> named = rows(
                            tx.preparedQuery(UNREVOKED_KEY).execute(Tuple.of(org, serviceAccount, keys.keyId())));
                    // a key in both lists is loaded twice into the same map: harmless
                    yield unrevoked < keys.cap()
                            ? named
                            : named.chain(one -> rows(tx.preparedQuery(SOONEST_LAPSING_KEYS)
                                    .execute(Tuple.of(org, serviceAccount, unrevoked - keys.cap() + 1)))
                                    .map(lapsing -> {
                                        List<Row> both = new ArrayList<>(one);
                                        both.addAll(lapsing);
                                        return both;
                                    }));
                }
                case ALL -> rows(tx.preparedQuery(UNREVOKED_KEYS).execute(Tuple.of(org, serviceAccount)));
            };
            return held.map(keyRows -> {
                ServiceAccount state = AccountRows.state(row, keyRows);
                return new WritePath.Snapshot<>(state, state.version());
            });
        });
    }

    private static Uni<List<Row>> rows(Uni<RowSet<Row>> query) {
        return query.map(rowSet -> {
            List<Row> list = new ArrayList<>(rowSet.size());
            rowSet.forEach(list::add);
            return list;
        });
    }

    private static ActiveKeyView activeKey(Row row) {
        return new ActiveKeyView(row.getString("id"), row.getString("description"), instant(row, "created_at"),
                row.getLong("expires_at"), instant(row, "last_used_at"), instant(row, "disabled_at"),
                row.getString("disabled_reason"), scopes(row), strings(row, "allowed_cidrs"));
    }

    private static List<String> scopes(Row row) {
        return strings(row, "scopes");
    }

    private static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? null : List.of(values);
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
