package io.keyledger.projection;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyExpired;
import io.keyledger.serviceaccount.KeyExpiringSoon;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of a rebuild, applied set-wise: load the rows the batch touches from the new tables,
 * apply its events to them in memory with the same meaning as {@link Projector#apply} (held equal
 * by {@code StateAgreementTest} and {@code ProjectionRebuildTest}), then write each changed row
 * once. A few statements per batch, however many events it holds.
 *
 * <p>Each stream's events are applied in {@code stream_version} order, each exactly one after the
 * version its row holds. The log is read in commit-safe transaction order, which is not always a
 * stream's own order: a writer that queued for an account's row lock may hold an older transaction
 * id than the one that barged ahead of it. An event that arrives before its predecessor waits (it is
 * returned to the caller and carried into the next batch); an event at or below the version already
 * applied is a regression and fails the rebuild, as does an event still waiting at the end (a gap).
 * Streams without a read-model row of their own (the ledger's) are not projected and not tracked.
 */
final class RebuildBatch {

    static final String ACCOUNT_COLUMNS =
            "org, name, description, privilege, created_at, created_by, stream_version, deleted_at, unrevoked_keys";
    static final String KEY_COLUMNS = "id, org, service_account, description, key_hash, created_at, expires_at, created_by,"
            + " revoked_at, replaced_by, expiry_notices, next_notice_at";

    static final String LOAD_ACCOUNTS = "SELECT " + ACCOUNT_COLUMNS + " FROM service_accounts" + ReadModelRebuild.SUFFIX
            + " WHERE (org, name) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
    static final String LOAD_KEYS = "SELECT " + KEY_COLUMNS + " FROM api_keys" + ReadModelRebuild.SUFFIX
            + " WHERE id = ANY($1::text[])";
    static final String UPSERT_ACCOUNTS = "INSERT INTO service_accounts" + ReadModelRebuild.SUFFIX + " (" + ACCOUNT_COLUMNS + ")"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::int[],"
            + " $8::timestamptz[], $9::int[])"
            + " ON CONFLICT (org, name) DO UPDATE SET description = EXCLUDED.description, privilege = EXCLUDED.privilege,"
            + " created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, stream_version = EXCLUDED.stream_version,"
            + " deleted_at = EXCLUDED.deleted_at, unrevoked_keys = EXCLUDED.unrevoked_keys";
    static final String UPSERT_KEYS = "INSERT INTO api_keys" + ReadModelRebuild.SUFFIX + " (" + KEY_COLUMNS + ")"
            + " SELECT id, org, sa, d, h, c, e, cb, r, rb, n::text[], nn FROM unnest($1::text[], $2::text[], $3::text[],"
            + " $4::text[], $5::text[], $6::timestamptz[], $7::int8[], $8::text[], $9::timestamptz[], $10::text[], $11::text[],"
            + " $12::int8[]) AS u(id, org, sa, d, h, c, e, cb, r, rb, n, nn)"
            + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, key_hash = EXCLUDED.key_hash,"
            + " created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by,"
            + " revoked_at = EXCLUDED.revoked_at, replaced_by = EXCLUDED.replaced_by, expiry_notices = EXCLUDED.expiry_notices,"
            + " next_notice_at = EXCLUDED.next_notice_at";
    static final String UPSERT_POLICIES = "INSERT INTO org_key_policies" + ReadModelRebuild.SUFFIX
            + " (org, max_lifetime_days, updated_at, updated_by, stream_version)"
            + " SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::int[])"
            + " ON CONFLICT (org) DO UPDATE SET max_lifetime_days = EXCLUDED.max_lifetime_days,"
            + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, stream_version = EXCLUDED.stream_version";

    /** An event decoded, with its stream and its version in it. */
    record Versioned(String streamId, DomainEvent event, int streamVersion) {
    }

    /** Stream order: the order a rebuild applies events in, whatever order they were read in. */
    static final java.util.Comparator<Versioned> STREAM_ORDER =
            java.util.Comparator.comparing(Versioned::streamId).thenComparingInt(Versioned::streamVersion);

    /** The log is not a sequence of contiguous stream versions: the rebuild stops, leaving the read models as they were. */
    static final class BrokenStream extends IllegalStateException {
        BrokenStream(String message) {
            super(message);
        }
    }

    static final class AccountRow {
        String org;
        String name;
        String description;
        String privilege;
        OffsetDateTime createdAt;
        String createdBy;
        int streamVersion;
        OffsetDateTime deletedAt;
        int unrevokedKeys;
    }

    static final class KeyRow {
        String id;
        String org;
        String serviceAccount;
        String description;
        String keyHash;
        OffsetDateTime createdAt;
        long expiresAt;
        String createdBy;
        OffsetDateTime revokedAt;
        String replacedBy;
        List<String> notices = new ArrayList<>();
        Long nextNoticeAt;
    }

    record PolicyRow(String org, Integer maxLifetimeDays, OffsetDateTime updatedAt, String updatedBy, int streamVersion) {
    }

    static final String LOAD_POLICIES = "SELECT org, max_lifetime_days, updated_at, updated_by, stream_version"
            + " FROM org_key_policies" + ReadModelRebuild.SUFFIX + " WHERE org = ANY($1::text[])";

    private final List<Versioned> events;
    private final List<Versioned> waiting = new ArrayList<>();
    private final List<ExpiryWarnings.Threshold> thresholds;
    private final Map<String, AccountRow> accounts = new LinkedHashMap<>();
    private final Map<String, KeyRow> keys = new LinkedHashMap<>();
    private final Map<String, PolicyRow> policies = new LinkedHashMap<>();
    private final Set<String> changedAccounts = new HashSet<>();
    private final Set<String> changedKeys = new HashSet<>();
    private final Set<String> changedPolicies = new HashSet<>();

    RebuildBatch(List<Versioned> events, List<ExpiryWarnings.Threshold> thresholds) {
        this.events = new ArrayList<>(events);
        this.thresholds = thresholds;
    }

    /**
     * Loads what the batch and the events still {@code waiting} from earlier batches touch, applies
     * them in stream order, writes the rows back, inside the caller's transaction. Answers the events
     * that still wait for a predecessor the log has not yet given.
     */
    Uni<List<Versioned>> applyTo(SqlConnection tx, List<Versioned> carried) {
        events.addAll(carried);
        events.sort(STREAM_ORDER);
        return load(tx).invoke(this::applyAll).chain(() -> write(tx)).replaceWith(() -> List.copyOf(waiting));
    }

    /** Fails the rebuild if any event is still waiting for its predecessor once the whole log has been read. */
    static void requireNoneWaiting(List<Versioned> waiting) {
        if (!waiting.isEmpty()) {
            Versioned first = waiting.get(0);
            throw new BrokenStream("stream " + first.streamId() + " has version " + first.streamVersion()
                    + " but not the version before it (" + waiting.size() + " events wait on a gap)");
        }
    }

    private Uni<Void> load(SqlConnection tx) {
        List<String> orgs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seenAccounts = new HashSet<>();
        Set<String> created = new HashSet<>();
        Set<String> keyIds = new HashSet<>();
        Set<String> policyOrgs = new HashSet<>();
        for (Versioned v : events) {
            if (v.event() instanceof OrgKeyPolicyChanged e) {
                policyOrgs.add(e.org());
            }
            if (v.event() instanceof ServiceAccountEvent e && seenAccounts.add(accountKey(e.org(), e.serviceAccount()))) {
                orgs.add(e.org());
                names.add(e.serviceAccount());
            }
            String keyId = keyRowOf(v.event());
            if (v.event() instanceof KeyCreated e) {
                created.add(e.keyId());
            } else if (keyId != null && !created.contains(keyId)) {
                keyIds.add(keyId);
            }
        }
        Uni<Void> loadAccounts = orgs.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(LOAD_ACCOUNTS).execute(Tuple.of(orgs.toArray(new String[0]), names.toArray(new String[0])))
                        .invoke(rows -> rows.forEach(row -> {
                            AccountRow a = account(row);
                            accounts.put(accountKey(a.org, a.name), a);
                        })).replaceWithVoid();
        Uni<Void> loadKeys = keyIds.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(LOAD_KEYS).execute(Tuple.of(keyIds.toArray(new String[0])))
                        .invoke(rows -> rows.forEach(row -> {
                            KeyRow k = key(row);
                            keys.put(k.id, k);
                        })).replaceWithVoid();
        Uni<Void> loadPolicies = policyOrgs.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(LOAD_POLICIES).execute(Tuple.of(policyOrgs.toArray(new String[0])))
                        .invoke(rows -> rows.forEach(row -> policies.put(row.getString("org"), new PolicyRow(row.getString("org"),
                                row.getInteger("max_lifetime_days"), row.getOffsetDateTime("updated_at"),
                                row.getString("updated_by"), row.getInteger("stream_version"))))).replaceWithVoid();
        return loadAccounts.chain(() -> loadKeys).chain(() -> loadPolicies);
    }

    /** The id of the key row an event changes, other than by creating it. */
    private static String keyRowOf(DomainEvent event) {
        if (event instanceof KeyRevoked e) {
            return e.keyId();
        } else if (event instanceof KeyRotated e) {
            return e.keyId();
        } else if (event instanceof KeyExpiringSoon e) {
            return e.keyId();
        } else if (event instanceof KeyExpired e) {
            return e.keyId();
        }
        return null;
    }

    private void applyAll() {
        for (Versioned v : events) {
            Integer applied = appliedVersion(v.event());
            if (applied == null) {
                apply(v.event(), v.streamVersion()); // a stream with no read-model row: nothing to keep in step
            } else if (v.streamVersion() <= applied) {
                throw new BrokenStream("stream " + v.streamId() + " gives version " + v.streamVersion()
                        + " after version " + applied + " was applied");
            } else if (v.streamVersion() > applied + 1) {
                waiting.add(v); // its predecessor comes later in transaction order
            } else if (applied == 0 && v.event() instanceof ServiceAccountEvent
                    && !(v.event() instanceof ServiceAccountCreated)) {
                throw new BrokenStream("stream " + v.streamId() + " does not start with ServiceAccountCreated");
            } else {
                apply(v.event(), v.streamVersion());
            }
        }
    }

    /** The version the read model holds for the event's stream (0 before its first event), or null for an untracked stream. */
    private Integer appliedVersion(DomainEvent event) {
        if (event instanceof ServiceAccountEvent e) {
            AccountRow a = accounts.get(accountKey(e.org(), e.serviceAccount()));
            return a == null ? 0 : a.streamVersion;
        }
        if (event instanceof OrgKeyPolicyChanged e) {
            PolicyRow p = policies.get(e.org());
            return p == null ? 0 : p.streamVersion();
        }
        return null;
    }

    private void apply(DomainEvent event, int version) {
        if (event instanceof ServiceAccountCreated e) {
            AccountRow a = accounts.computeIfAbsent(accountKey(e.org(), e.name()), k -> {
                AccountRow fresh = new AccountRow();
                fresh.org = e.org();
                fresh.name = e.name();
                return fresh;
            });
            a.description = e.description();
            a.privilege = e.privilege().wireName();
            a.createdAt = utc(e.createdAt());
            a.createdBy = e.createdBy();
            a.deletedAt = null;
            bump(e, version);
        } else if (event instanceof ServiceAccountUpdated e) {
            AccountRow a = accounts.get(accountKey(e.org(), e.name()));
            if (a != null) {
                a.description = e.description() == null ? a.description : e.description();
                a.privilege = e.privilege() == null ? a.privilege : e.privilege().wireName();
            }
            bump(e, version);
        } else if (event instanceof ServiceAccountDeleted e) {
            AccountRow a = accounts.get(accountKey(e.org(), e.name()));
            if (a != null) {
                a.deletedAt = utc(e.deletedAt());
                a.unrevokedKeys = 0;
            }
            bump(e, version);
        } else if (event instanceof KeyCreated e) {
            KeyRow k = new KeyRow();
            k.id = e.keyId();
            k.org = e.org();
            k.serviceAccount = e.serviceAccount();
            k.description = e.description();
            k.keyHash = e.keyHash();
            k.createdAt = utc(e.createdAt());
            k.expiresAt = e.expiresAt();
            k.createdBy = e.createdBy();
            k.nextNoticeAt = ExpiryWarnings.nextNoticeAt(e.expiresAt(), Set.of(), thresholds);
            if (keys.put(k.id, k) != null) {
                throw new IllegalStateException("key " + k.id + " created twice");
            }
            changedKeys.add(k.id);
            AccountRow a = accounts.get(accountKey(e.org(), e.serviceAccount()));
            if (a != null) {
                a.unrevokedKeys++;
            }
            bump(e, version);
        } else if (event instanceof KeyRevoked e) {
            KeyRow k = keys.get(e.keyId());
            if (k != null && k.revokedAt == null) {
                k.revokedAt = utc(e.revokedAt());
                k.nextNoticeAt = null;
                changedKeys.add(k.id);
                AccountRow a = accounts.get(accountKey(e.org(), e.serviceAccount()));
                if (a != null) {
                    a.unrevokedKeys--;
                }
            }
            bump(e, version);
        } else if (event instanceof KeyRotated e) {
            KeyRow k = keys.get(e.keyId());
            if (k != null) {
                k.expiresAt = e.gracePeriodExpiresAt();
                k.replacedBy = e.replacedBy();
                k.nextNoticeAt = null;
                changedKeys.add(k.id);
            }
            bump(e, version);
        } else if (event instanceof KeyExpiringSoon e) {
            addNotice(e.keyId(), e.warning());
            bump(e, version);
        } else if (event instanceof KeyExpired e) {
            addNotice(e.keyId(), ServiceAccount.EXPIRED);
            bump(e, version);
        } else if (event instanceof ServiceAccountEvent e) {
            // KeyLeakReported: nothing to show, but the snapshot's version must follow the stream
            bump(e, version);
        } else if (event instanceof OrgKeyPolicyChanged e) {
            policies.put(e.org(), new PolicyRow(e.org(), e.maxLifetimeDays(), utc(e.changedAt()), e.changedBy(), version));
            changedPolicies.add(e.org());
        }
    }

    /** A notice recorded; the scanner's next look is worked out from the notices so far (live, the scanner sets it). */
    private void addNotice(String keyId, String notice) {
        KeyRow k = keys.get(keyId);
        if (k == null) {
            return;
        }
        k.notices.add(notice);
        if (k.revokedAt == null && k.replacedBy == null) {
            k.nextNoticeAt = ExpiryWarnings.nextNoticeAt(k.expiresAt, Set.copyOf(k.notices), thresholds);
        }
        changedKeys.add(keyId);
    }

    private void bump(ServiceAccountEvent e, int version) {
        String key = accountKey(e.org(), e.serviceAccount());
        AccountRow a = accounts.get(key);
        if (a != null) {
            a.streamVersion = version;
            changedAccounts.add(key);
        }
    }

    private Uni<Void> write(SqlConnection tx) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (!changedAccounts.isEmpty()) {
            int n = changedAccounts.size();
            String[] org = new String[n], name = new String[n], description = new String[n], privilege = new String[n],
                    createdBy = new String[n];
            OffsetDateTime[] createdAt = new OffsetDateTime[n], deletedAt = new OffsetDateTime[n];
            Integer[] version = new Integer[n], unrevoked = new Integer[n];
            int i = 0;
            for (String key : changedAccounts) {
                AccountRow a = accounts.get(key);
                org[i] = a.org;
                name[i] = a.name;
                description[i] = a.description;
                privilege[i] = a.privilege;
                createdAt[i] = a.createdAt;
                createdBy[i] = a.createdBy;
                version[i] = a.streamVersion;
                deletedAt[i] = a.deletedAt;
                unrevoked[i++] = a.unrevokedKeys;
            }
            Tuple params = Tuple.tuple().addArrayOfString(org).addArrayOfString(name).addArrayOfString(description)
                    .addArrayOfString(privilege).addArrayOfOffsetDateTime(createdAt).addArrayOfString(createdBy)
                    .addArrayOfInteger(version).addArrayOfOffsetDateTime(deletedAt).addArrayOfInteger(unrevoked);
            chain = chain.chain(() -> tx.preparedQuery(UPSERT_ACCOUNTS).execute(params).replaceWithVoid());
        }
        if (!changedKeys.isEmpty()) {
            int n = changedKeys.size();
            String[] id = new String[n], org = new String[n], sa = new String[n], description = new String[n],
                    hash = new String[n], createdBy = new String[n], replacedBy = new String[n], notices = new String[n];
            OffsetDateTime[] createdAt = new OffsetDateTime[n], revokedAt = new OffsetDateTime[n];
            Long[] expiresAt = new Long[n], next = new Long[n];
            int i = 0;
            for (String keyId : changedKeys) {
                KeyRow k = keys.get(keyId);
                id[i] = k.id;
                org[i] = k.org;
                sa[i] = k.serviceAccount;
                description[i] = k.description;
                hash[i] = k.keyHash;
                createdAt[i] = k.createdAt;
                expiresAt[i] = k.expiresAt;
                createdBy[i] = k.createdBy;
                revokedAt[i] = k.revokedAt;
                replacedBy[i] = k.replacedBy;
                notices[i] = arrayLiteral(k.notices);
                next[i++] = k.nextNoticeAt;
            }
            Tuple params = Tuple.tuple().addArrayOfString(id).addArrayOfString(org).addArrayOfString(sa)
                    .addArrayOfString(description).addArrayOfString(hash).addArrayOfOffsetDateTime(createdAt)
                    .addArrayOfLong(expiresAt).addArrayOfString(createdBy).addArrayOfOffsetDateTime(revokedAt)
                    .addArrayOfString(replacedBy).addArrayOfString(notices).addArrayOfLong(next);
            chain = chain.chain(() -> tx.preparedQuery(UPSERT_KEYS).execute(params).replaceWithVoid());
        }
        if (!changedPolicies.isEmpty()) {
            int n = changedPolicies.size();
            String[] org = new String[n], by = new String[n];
            Integer[] days = new Integer[n], version = new Integer[n];
            OffsetDateTime[] at = new OffsetDateTime[n];
            int i = 0;
            for (String changed : changedPolicies) {
                PolicyRow p = policies.get(changed);
                org[i] = p.org();
                days[i] = p.maxLifetimeDays();
                at[i] = p.updatedAt();
                by[i] = p.updatedBy();
                version[i++] = p.streamVersion();
            }
            Tuple params = Tuple.tuple().addArrayOfString(org).addArrayOfInteger(days).addArrayOfOffsetDateTime(at)
                    .addArrayOfString(by).addArrayOfInteger(version);
            chain = chain.chain(() -> tx.preparedQuery(UPSERT_POLICIES).execute(params).replaceWithVoid());
        }
        return chain;
    }

    /** A text[] literal; notices are threshold texts such as {@code 30d} and {@code expired}, quoted all the same. */
    private static String arrayLiteral(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    private static AccountRow account(Row row) {
        AccountRow a = new AccountRow();
        a.org = row.getString("org");
        a.name = row.getString("name");
        a.description = row.getString("description");
        a.privilege = row.getString("privilege");
        a.createdAt = row.getOffsetDateTime("created_at");
        a.createdBy = row.getString("created_by");
        a.streamVersion = row.getInteger("stream_version");
        a.deletedAt = row.getOffsetDateTime("deleted_at");
        a.unrevokedKeys = row.getInteger("unrevoked_keys");
        return a;
    }

    private static KeyRow key(Row row) {
        KeyRow k = new KeyRow();
        k.id = row.getString("id");
        k.org = row.getString("org");
        k.serviceAccount = row.getString("service_account");
        k.description = row.getString("description");
        k.keyHash = row.getString("key_hash");
        k.createdAt = row.getOffsetDateTime("created_at");
        k.expiresAt = row.getLong("expires_at");
        k.createdBy = row.getString("created_by");
        k.revokedAt = row.getOffsetDateTime("revoked_at");
        k.replacedBy = row.getString("replaced_by");
        String[] notices = row.getArrayOfStrings("expiry_notices");
        if (notices != null) {
            k.notices.addAll(List.of(notices));
        }
        k.nextNoticeAt = row.getLong("next_notice_at");
        return k;
    }

    private static String accountKey(String org, String name) {
        return org + '\u0000' + name;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
