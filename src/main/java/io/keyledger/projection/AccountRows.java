package io.keyledger.projection;

import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.serviceaccount.Key;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccount;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service-account read model as a function of state: an account's row and its keys' rows are written from the
 * state a fold leaves ({@link io.keyledger.serviceaccount.ServiceAccountDecider#evolve}), never from events. Both the
 * append transaction and a rebuild batch write through here, so an event means the same in both. Only what the new
 * state changed is written: the account row, and each key whose fold differs from the state before.
 *
 * <p>The rows are read back into a state the same way ({@link #state}), which is what a command decides on.
 */
final class AccountRows {

    static final String ACCOUNT_COLUMNS = "org, name, description, privilege, created_at, created_by, stream_version, deleted_at, unrevoked_keys";
    static final String KEY_COLUMNS = "id, org, service_account, description, key_hash, created_at, expires_at, created_by,"
            + " revoked_at, replaced_by, expiry_notices, next_notice_at, pepper_id, disabled_at, disabled_reason, disabled_by, scopes, allowed_cidrs";

    /** One account's rows before and after a fold. */
    record Change(String org, String name, ServiceAccount before, ServiceAccount after) {
    }

    private AccountRows() {
    }

    /**
     * Upserts the changed account and key rows of every change in one statement (the account rows first: the keys
     * reference them), in the tables named by {@code suffix} ("" live, {@code _rebuild} during a rebuild).
     */
    static Uni<Void> write(SqlConnection tx, String suffix, List<Change> changes,
            List<ExpiryWarnings.Threshold> thresholds) {
        List<Change> accounts = new ArrayList<>();
        List<Change> keyOwners = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        for (Change change : changes) {
            if (!change.after().everCreated()) {
                continue; // a stream with no account (a hand-made log): nothing to show
            }
            accounts.add(change);
            change.after().keys().forEach((id, key) -> {
                if (!key.equals(change.before().keys().get(id))) {
                    keyOwners.add(change);
                    keys.add(key);
                }
            });
        }
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(upsert(suffix)).execute(params(accounts, keyOwners, keys, thresholds))
                .replaceWithVoid();
    }

    /** The state the rows hold: an account row and the key rows loaded with it (only unrevoked ones). */
    static ServiceAccount state(Row account, List<Row> keys) {
        Map<String, Key> held = new HashMap<>();
        for (Row row : keys) {
            Key key = key(row);
            held.put(key.id(), key);
        }
        boolean live = account.getOffsetDateTime("deleted_at") == null;
        return new ServiceAccount(live, account.getInteger("stream_version"), account.getString("description"),
                Privilege.fromWireName(account.getString("privilege")).orElseThrow(), instant(account, "created_at"),
                account.getString("created_by"), instant(account, "deleted_at"), live ? held : Map.of(),
                live ? account.getInteger("unrevoked_keys") : 0);
    }

    static Key key(Row row) {
        String[] notices = row.getArrayOfStrings("expiry_notices");
        return new Key(row.getString("id"), row.getString("description"), row.getString("key_hash"),
                row.getString("pepper_id"), instant(row, "created_at"), row.getLong("expires_at"),
                row.getString("created_by"), instant(row, "revoked_at"), row.getString("replaced_by"),
                notices == null ? List.of() : List.of(notices),
                row.getOffsetDateTime("disabled_at") == null
                        ? null
                        : new Key.Disabled(instant(row, "disabled_at"), row.getString("disabled_reason"),
                                row.getString("disabled_by")),
                row.getArrayOfStrings("scopes") == null ? null : List.of(row.getArrayOfStrings("scopes")),
                row.getArrayOfStrings("allowed_cidrs") == null
                        ? null
                        : List.of(row.getArrayOfStrings("allowed_cidrs")));
    }

    /** When the expiry scanner should next look at a key: never once it is revoked or rotated away. */
    static Long nextNoticeAt(Key key, List<ExpiryWarnings.Threshold> thresholds) {
        return key.revoked() || key.rotated()
                ? null
                : ExpiryWarnings.nextNoticeAt(key.expiresAt(), Set.copyOf(key.notices()), thresholds);
    }

    private static String upsert(String suffix) {
        return "WITH accounts AS (INSERT INTO service_accounts" + suffix + " (" + ACCOUNT_COLUMNS + ")"
                + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],"
                + " $7::int[], $8::timestamptz[], $9::int[])"
                + " ON CONFLICT (org, name) DO UPDATE SET description = EXCLUDED.description, privilege = EXCLUDED.privilege,"
                + " created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, stream_version = EXCLUDED.stream_version,"
                + " deleted_at = EXCLUDED.deleted_at, unrevoked_keys = EXCLUDED.unrevoked_keys)"
                + " INSERT INTO api_keys" + suffix + " (" + KEY_COLUMNS + ")"
                + " SELECT id, org, sa, d, h, c, e, cb, r, rb, n::text[], nn, p, da, dr, db, sc::text[], ac::text[] FROM unnest($10::text[],"
                + " $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::int8[], $17::text[],"
                + " $18::timestamptz[], $19::text[], $20::text[], $21::int8[], $22::text[], $23::timestamptz[], $24::text[],"
                + " $25::text[], $26::text[], $27::text[]) AS u(id, org, sa, d, h, c, e, cb, r, rb, n, nn, p, da, dr, db, sc, ac)"
                + " ON CONFLICT (id) DO UPDATE SET description = EXCLUDED.description, key_hash = EXCLUDED.key_hash,"
                + " created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by,"
                + " revoked_at = EXCLUDED.revoked_at, replaced_by = EXCLUDED.replaced_by, expiry_notices = EXCLUDED.expiry_notices,"
                + " next_notice_at = EXCLUDED.next_notice_at, pepper_id = EXCLUDED.pepper_id, disabled_at = EXCLUDED.disabled_at,"
                + " disabled_reason = EXCLUDED.disabled_reason, disabled_by = EXCLUDED.disabled_by, scopes = EXCLUDED.scopes,"
                + " allowed_cidrs = EXCLUDED.allowed_cidrs";
    }

    private static Tuple params(List<Change> accounts, List<Change> keyOwners, List<Key> keys,
            List<ExpiryWarnings.Threshold> thresholds) {
        int n = accounts.size();
        String[] org = new String[n], name = new String[n], description = new String[n], privilege = new String[n],
                createdBy = new String[n];
        OffsetDateTime[] createdAt = new OffsetDateTime[n], deletedAt = new OffsetDateTime[n];
        Integer[] version = new Integer[n], unrevoked = new Integer[n];
        for (int i = 0; i < n; i++) {
            Change change = accounts.get(i);
            ServiceAccount a = change.after();
            org[i] = change.org();
            name[i] = change.name();
            description[i] = a.description();
            privilege[i] = a.privilege() == null ? null : a.privilege().wireName();
            createdAt[i] = utc(a.createdAt());
            createdBy[i] = a.createdBy();
            version[i] = a.version();
            deletedAt[i] = a.exists() ? null : utc(a.deletedAt());
            unrevoked[i] = a.unrevokedKeyCount();
        }
        int k = keys.size();
        String[] id = new String[k], keyOrg = new String[k], sa = new String[k], keyDescription = new String[k],
                hash = new String[k], keyCreatedBy = new String[k], replacedBy = new String[k], notices = new String[k],
                pepper = new String[k], disabledReason = new String[k], disabledBy = new String[k],
                scopes = new String[k], cidrs = new String[k];
        OffsetDateTime[] keyCreatedAt = new OffsetDateTime[k], revokedAt = new OffsetDateTime[k],
                disabledAt = new OffsetDateTime[k];
        Long[] expiresAt = new Long[k], next = new Long[k];
        for (int i = 0; i < k; i++) {
            Key key = keys.get(i);
            id[i] = key.id();
            keyOrg[i] = keyOwners.get(i).org();
            sa[i] = keyOwners.get(i).name();
            keyDescription[i] = key.description();
            hash[i] = key.keyHash();
            pepper[i] = key.pepperId();
            keyCreatedAt[i] = utc(key.createdAt());
            expiresAt[i] = key.expiresAt();
            keyCreatedBy[i] = key.createdBy();
            revokedAt[i] = utc(key.revokedAt());
            replacedBy[i] = key.replacedBy();
            notices[i] = arrayLiteral(key.notices());
            next[i] = nextNoticeAt(key, thresholds);
            // like the notices, a text[] literal per key (an array of arrays cannot hold a null one)
            scopes[i] = key.scopes() == null ? null : arrayLiteral(key.scopes());
            cidrs[i] = key.allowedCidrs() == null ? null : arrayLiteral(key.allowedCidrs());
            if (key.isDisabled()) {
                disabledAt[i] = utc(key.disabled().at());
                disabledReason[i] = key.disabled().reason();
                disabledBy[i] = key.disabled().by();
            }
        }
        return Tuple.tuple().addArrayOfString(org).addArrayOfString(name).addArrayOfString(description)
                .addArrayOfString(privilege).addArrayOfOffsetDateTime(createdAt).addArrayOfString(createdBy)
                .addArrayOfInteger(version).addArrayOfOffsetDateTime(deletedAt).addArrayOfInteger(unrevoked)
                .addArrayOfString(id).addArrayOfString(keyOrg).addArrayOfString(sa).addArrayOfString(keyDescription)
                .addArrayOfString(hash).addArrayOfOffsetDateTime(keyCreatedAt).addArrayOfLong(expiresAt)
                .addArrayOfString(keyCreatedBy).addArrayOfOffsetDateTime(revokedAt).addArrayOfString(replacedBy)
                .addArrayOfString(notices).addArrayOfLong(next).addArrayOfString(pepper)
                .addArrayOfOffsetDateTime(disabledAt).addArrayOfString(disabledReason).addArrayOfString(disabledBy)
                .addArrayOfString(scopes).addArrayOfString(cidrs);
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

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
