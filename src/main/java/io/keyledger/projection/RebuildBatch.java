package io.keyledger.projection;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.serviceaccount.KeyEvent;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of a rebuild, applied set-wise: load the states of the streams the batch touches from the new tables,
 * fold the batch's events onto them with {@link ServiceAccountDecider#evolve} (the meaning the append transaction
 * gives them too), then write each changed row once through {@link AccountRows}. A few statements per batch,
 * however many events it holds.
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

    static final String LOAD_ACCOUNTS = "SELECT " + AccountRows.ACCOUNT_COLUMNS + " FROM service_accounts"
            + ReadModelRebuild.SUFFIX + " WHERE (org, name) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
    static final String LOAD_KEYS = "SELECT " + AccountRows.KEY_COLUMNS + " FROM api_keys" + ReadModelRebuild.SUFFIX
            + " WHERE id = ANY($1::text[])";
    static final String UPSERT_POLICIES = "INSERT INTO org_key_policies" + ReadModelRebuild.SUFFIX
            + " (org, max_lifetime_days, updated_at, updated_by, stream_version, on_leak)"
            + " SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::int[], $6::text[])"
            + " ON CONFLICT (org) DO UPDATE SET max_lifetime_days = EXCLUDED.max_lifetime_days, on_leak = EXCLUDED.on_leak,"
            + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, stream_version = EXCLUDED.stream_version";
    static final String LOAD_POLICIES = "SELECT org, max_lifetime_days, on_leak, updated_at, updated_by, stream_version"
            + " FROM org_key_policies" + ReadModelRebuild.SUFFIX + " WHERE org = ANY($1::text[])";

    /** An event decoded, with its stream and its version in it. */
    record Versioned(String streamId, DomainEvent event, int streamVersion) {
    }

    /** Stream order: the order a rebuild applies events in, whatever order they were read in. */
    static final java.util.Comparator<Versioned> STREAM_ORDER = java.util.Comparator.comparing(Versioned::streamId)
            .thenComparingInt(Versioned::streamVersion);

    /** The log is not a sequence of contiguous stream versions: the rebuild stops, leaving the read models as they were. */
    static final class BrokenStream extends IllegalStateException {
        BrokenStream(String message) {
            super(message);
        }
    }

    record PolicyRow(String org, Integer maxLifetimeDays, String onLeak, OffsetDateTime updatedAt, String updatedBy,
            int streamVersion) {
    }

    /** An account stream of the batch: its org and name, its state as loaded, and as folded so far. */
    private static final class Account {
        final String org;
        final String name;
        ServiceAccount before;
        ServiceAccount state;

        Account(String org, String name) {
            this.org = org;
            this.name = name;
        }
    }

    private final List<Versioned> events;
    private final List<Versioned> waiting = new ArrayList<>();
    /**
     * Account streams with no account row (their first event is not ServiceAccountCreated: a log the decider never
     * writes, but a hand-made one can hold): their events change nothing, and their versions are kept here, across
     * batches, so they are still applied in order.
     */
    private Map<String, Integer> accountlessStreams = new HashMap<>();

    private final List<ExpiryWarnings.Threshold> thresholds;
    /** By stream id. */
    private final Map<String, Account> accounts = new LinkedHashMap<>();

    private final Map<String, PolicyRow> policies = new LinkedHashMap<>();
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
    Uni<List<Versioned>> applyTo(SqlConnection tx, List<Versioned> carried, Map<String, Integer> accountlessStreams) {
        this.accountlessStreams = accountlessStreams;
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
        Set<String> keyIds = new HashSet<>();
        Set<String> policyOrgs = new HashSet<>();
        Map<String, String> streamOf = new HashMap<>();
        for (Versioned v : events) {
            if (v.event() instanceof OrgKeyPolicyChanged e) {
                policyOrgs.add(e.org());
            }
            if (v.event() instanceof ServiceAccountEvent e && !accounts.containsKey(v.streamId())) {
                accounts.put(v.streamId(), new Account(e.org(), e.serviceAccount()));
                streamOf.put(accountKey(e.org(), e.serviceAccount()), v.streamId());
                orgs.add(e.org());
                names.add(e.serviceAccount());
            }
            if (v.event() instanceof KeyEvent e) {
                keyIds.add(e.keyId()); // a key this batch creates is not there yet: the lookup finds nothing
            }
        }
        Map<String, List<Row>> keysByAccount = new HashMap<>();
        Map<String, Row> accountRows = new HashMap<>();
        Uni<Void> loadAccounts = orgs.isEmpty()
                ? Uni.createFrom().voidItem()
                : tx.preparedQuery(LOAD_ACCOUNTS)
                        .execute(Tuple.of(orgs.toArray(new String[0]), names.toArray(new String[0])))
                        .invoke(rows -> rows.forEach(row -> accountRows
                                .put(streamOf.get(accountKey(row.getString("org"), row.getString("name"))), row)))
                        .replaceWithVoid();
        Uni<Void> loadKeys = keyIds
                .isEmpty()
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(
                                LOAD_KEYS).execute(
                                        Tuple.of(keyIds.toArray(new String[0])))
                                .invoke(rows -> rows.forEach(row -> keysByAccount.computeIfAbsent(
                                        accountKey(row.getString("org"), row.getString("service_account")),
                                        k -> new ArrayList<>()).add(row)))
                                .replaceWithVoid();
        Uni<Void> loadPolicies = policyOrgs.isEmpty()
                ? Uni.createFrom().voidItem()
                : tx.preparedQuery(LOAD_POLICIES).execute(Tuple.of(policyOrgs.toArray(new String[0])))
                        .invoke(rows -> rows.forEach(row -> policies.put(row.getString("org"),
                                new PolicyRow(row.getString("org"), row.getInteger("max_lifetime_days"),
                                        row.getString("on_leak"), row.getOffsetDateTime("updated_at"),
                                        row.getString("updated_by"), row.getInteger("stream_version")))))
                        .replaceWithVoid();
        return loadAccounts.chain(() -> loadKeys).chain(() -> loadPolicies)
                .invoke(() -> accounts.forEach((streamId, a) -> {
                    Row row = accountRows.get(streamId);
                    a.before = row != null
                            ? AccountRows.state(row, keysByAccount.getOrDefault(accountKey(a.org, a.name), List.of()))
                            : accountless(accountlessStreams.getOrDefault(streamId, 0));
                    a.state = a.before;
                }));
    }

    /** The state of a stream with no account row, at the version its events have reached. */
    private static ServiceAccount accountless(int version) {
        return new ServiceAccount(false, version, null, null, null, null, null, Map.of(), 0);
    }

    private void applyAll() {
        for (Versioned v : events) {
            Integer applied = appliedVersion(v);
            if (applied == null) {
                continue; // a stream with no read-model row (the ledger's, operations): nothing to keep in step
            }
            if (v.streamVersion() <= applied) {
                throw new BrokenStream("stream " + v.streamId() + " gives version " + v.streamVersion()
                        + " after version " + applied + " was applied");
            } else if (v.streamVersion() > applied + 1) {
                waiting.add(v); // its predecessor comes later in transaction order
            } else if (v.event() instanceof ServiceAccountEvent e) {
                Account a = accounts.get(v.streamId());
                a.state = ServiceAccountDecider.evolve(a.state, e);
            } else if (v.event() instanceof OrgKeyPolicyChanged e) {
                policies.put(e.org(), new PolicyRow(e.org(), e.maxLifetimeDays(), e.onLeak().wireName(),
                        e.changedAt().atOffset(ZoneOffset.UTC), e.changedBy(), v.streamVersion()));
                changedPolicies.add(e.org());
            }
        }
        accounts.forEach((streamId, a) -> {
            if (!a.state.everCreated()) {
                accountlessStreams.put(streamId, a.state.version());
            }
        });
    }

    /** The version the read model holds for the event's stream (0 before its first event), or null for an untracked stream. */
    private Integer appliedVersion(Versioned v) {
        if (v.event() instanceof ServiceAccountEvent) {
            return accounts.get(v.streamId()).state.version();
        }
        if (v.event() instanceof OrgKeyPolicyChanged e) {
            PolicyRow p = policies.get(e.org());
            return p == null ? 0 : p.streamVersion();
        }
        return null;
    }

    private Uni<Void> write(SqlConnection tx) {
        List<AccountRows.Change> changes = new ArrayList<>();
        accounts.values().forEach(a -> {
            if (!a.state.equals(a.before)) {
                changes.add(new AccountRows.Change(a.org, a.name, a.before, a.state));
            }
        });
        Uni<Void> chain = AccountRows.write(tx, ReadModelRebuild.SUFFIX, changes, thresholds);
        if (!changedPolicies.isEmpty()) {
            int n = changedPolicies.size();
            String[] org = new String[n], by = new String[n], onLeak = new String[n];
            Integer[] days = new Integer[n], version = new Integer[n];
            OffsetDateTime[] at = new OffsetDateTime[n];
            int i = 0;
            for (String changed : changedPolicies) {
                PolicyRow p = policies.get(changed);
                org[i] = p.org();
                days[i] = p.maxLifetimeDays();
                at[i] = p.updatedAt();
                by[i] = p.updatedBy();
                onLeak[i] = p.onLeak();
                version[i++] = p.streamVersion();
            }
            Tuple params = Tuple.tuple().addArrayOfString(org).addArrayOfInteger(days).addArrayOfOffsetDateTime(at)
                    .addArrayOfString(by).addArrayOfInteger(version).addArrayOfString(onLeak);
            chain = chain.chain(() -> tx.preparedQuery(UPSERT_POLICIES).execute(params).replaceWithVoid());
        }
        return chain;
    }

    private static String accountKey(String org, String name) {
        return org + '\u0000' + name;
    }
}
