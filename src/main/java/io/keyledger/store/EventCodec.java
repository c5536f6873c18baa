package io.keyledger.store;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyExpired;
import io.keyledger.serviceaccount.LedgerCheckpoint;
import io.keyledger.serviceaccount.KeyExpiringSoon;
import io.keyledger.serviceaccount.KeyLeakReported;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.ProjectionsRebuilt;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one registry of event type names and schema versions, and their JSON form.
 *
 * <p>Type names are stable strings, never class names, so a refactoring cannot break stored
 * history; the mapping is written out by hand, so it needs no reflection in a native image.
 * Changes to a payload are additive; an incompatible change gets a new schema version and
 * {@link #decode} upcasts the old one.
 */
public final class EventCodec {

    public static final String SERVICE_ACCOUNT_CREATED = "ServiceAccountCreated";
    public static final String SERVICE_ACCOUNT_UPDATED = "ServiceAccountUpdated";
    public static final String SERVICE_ACCOUNT_DELETED = "ServiceAccountDeleted";
    public static final String KEY_CREATED = "KeyCreated";
    public static final String KEY_REVOKED = "KeyRevoked";
    public static final String KEY_LEAK_REPORTED = "KeyLeakReported";
    public static final String ORG_KEY_POLICY_CHANGED = "OrgKeyPolicyChanged";
    public static final String KEY_EXPIRING_SOON = "KeyExpiringSoon";
    public static final String KEY_EXPIRED = "KeyExpired";
    public static final String LEDGER_CHECKPOINT = "LedgerCheckpoint";
    public static final String KEY_ROTATED = "KeyRotated";
    public static final String PROJECTIONS_REBUILT = "ProjectionsRebuilt";

    /** An event ready to store: its type, schema version and JSON data. */
    public record Encoded(String type, int schemaVersion, JsonObject data) {
    }

    private EventCodec() {
    }

    public static Encoded encode(DomainEvent event) {
        if (event instanceof ServiceAccountCreated e) {
            return new Encoded(SERVICE_ACCOUNT_CREATED, CURRENT_VERSION.get(SERVICE_ACCOUNT_CREATED), new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("description", e.description())
                    .put("privilege", e.privilege().wireName())
                    .put("created_at", instant(e.createdAt()))
                    .put("created_by", e.createdBy()));
        }
        if (event instanceof ServiceAccountUpdated e) {
            return new Encoded(SERVICE_ACCOUNT_UPDATED, CURRENT_VERSION.get(SERVICE_ACCOUNT_UPDATED), new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("description", e.description())
                    .put("privilege", e.privilege() == null ? null : e.privilege().wireName())
                    .put("updated_at", instant(e.updatedAt()))
                    .put("updated_by", e.updatedBy()));
        }
        if (event instanceof ServiceAccountDeleted e) {
            return new Encoded(SERVICE_ACCOUNT_DELETED, CURRENT_VERSION.get(SERVICE_ACCOUNT_DELETED), new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("deleted_at", instant(e.deletedAt()))
                    .put("deleted_by", e.deletedBy()));
        }
        if (event instanceof KeyCreated e) {
            return new Encoded(KEY_CREATED, CURRENT_VERSION.get(KEY_CREATED), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("description", e.description())
                    .put("key_hash", e.keyHash())
                    .put("created_at", instant(e.createdAt()))
                    .put("expires_at", e.expiresAt())
                    .put("created_by", e.createdBy()));
        }
        if (event instanceof KeyRevoked e) {
            return new Encoded(KEY_REVOKED, CURRENT_VERSION.get(KEY_REVOKED), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("revoked_at", instant(e.revokedAt()))
                    .put("revoked_by", e.revokedBy())
                    .put("reason", e.reason()));
        }
        if (event instanceof LedgerCheckpoint e) {
            return new Encoded(LEDGER_CHECKPOINT, CURRENT_VERSION.get(LEDGER_CHECKPOINT), new JsonObject()
                    .put("position", e.position())
                    .put("covers_transactions_below", e.coversTransactionsBelow())
                    .put("streams", e.streams())
                    .put("merkle_root", e.merkleRoot())
                    .put("signature", e.signature())
                    .put("checkpointed_at", instant(e.checkpointedAt()))
                    .put("key_id", e.keyId()));
        }
        if (event instanceof KeyExpiringSoon e) {
            return new Encoded(KEY_EXPIRING_SOON, CURRENT_VERSION.get(KEY_EXPIRING_SOON), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("expires_at", e.expiresAt())
                    .put("warning", e.warning()));
        }
        if (event instanceof KeyExpired e) {
            return new Encoded(KEY_EXPIRED, CURRENT_VERSION.get(KEY_EXPIRED), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("expires_at", e.expiresAt()));
        }
        if (event instanceof OrgKeyPolicyChanged e) {
            return new Encoded(ORG_KEY_POLICY_CHANGED, CURRENT_VERSION.get(ORG_KEY_POLICY_CHANGED), new JsonObject()
                    .put("org", e.org())
                    .put("max_lifetime_days", e.maxLifetimeDays())
                    .put("changed_at", instant(e.changedAt()))
                    .put("changed_by", e.changedBy()));
        }
        if (event instanceof KeyLeakReported e) {
            return new Encoded(KEY_LEAK_REPORTED, CURRENT_VERSION.get(KEY_LEAK_REPORTED), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("source", e.source())
                    .put("url", e.url())
                    .put("reported_at", instant(e.reportedAt())));
        }
        if (event instanceof KeyRotated e) {
            return new Encoded(KEY_ROTATED, CURRENT_VERSION.get(KEY_ROTATED), new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("replaced_by", e.replacedBy())
                    .put("grace_period_expires_at", e.gracePeriodExpiresAt())
                    .put("rotated_at", instant(e.rotatedAt()))
                    .put("rotated_by", e.rotatedBy()));
        }
        if (event instanceof ProjectionsRebuilt e) {
            return new Encoded(PROJECTIONS_REBUILT, CURRENT_VERSION.get(PROJECTIONS_REBUILT), new JsonObject()
                    .put("events", e.events())
                    .put("batches", e.batches())
                    .put("duration_ms", e.durationMillis())
                    .put("rebuilt_at", instant(e.rebuiltAt()))
                    .put("rebuilt_by", e.rebuiltBy()));
        }
        throw new IllegalArgumentException("no event type registered for " + event.getClass().getSimpleName());
    }

    /**
     * The production chain: a new version adds its step here and bumps {@link #CURRENT_VERSION}.
     * KeyRevoked v2 added {@code reason}; every v1 revocation was an admin's (or its account's
     * deletion, which v1 did not tell apart): it reads as "revoked".
     */
    static final Upcasters CHAIN = new Upcasters(java.util.List.of(
            new Upcasters.Step(KEY_REVOKED, 1, v1 -> v1.put("reason", KeyRevoked.REVOKED)),
            // same fields; v2 is signed over the ledger entry form of V10 (io.keyledger.ledger.CheckpointStatement)
            new Upcasters.Step(LEDGER_CHECKPOINT, 1, UnaryOperator.identity()),
            // v3 names the signing key; a v2 checkpoint named none and verifies against every known key
            new Upcasters.Step(LEDGER_CHECKPOINT, 2, v2 -> v2.put("key_id", null))));

    /** The version {@link #encode} writes and {@link #decode} reads, per type. */
    static final java.util.Map<String, Integer> CURRENT_VERSION = java.util.Map.ofEntries(
            java.util.Map.entry(SERVICE_ACCOUNT_CREATED, 1), java.util.Map.entry(SERVICE_ACCOUNT_UPDATED, 1),
            java.util.Map.entry(SERVICE_ACCOUNT_DELETED, 1), java.util.Map.entry(KEY_CREATED, 1),
            java.util.Map.entry(KEY_REVOKED, 2), java.util.Map.entry(KEY_ROTATED, 1), java.util.Map.entry(KEY_LEAK_REPORTED, 1),
            java.util.Map.entry(ORG_KEY_POLICY_CHANGED, 1), java.util.Map.entry(KEY_EXPIRING_SOON, 1),
            java.util.Map.entry(KEY_EXPIRED, 1), java.util.Map.entry(LEDGER_CHECKPOINT, 3),
            java.util.Map.entry(PROJECTIONS_REBUILT, 1));

    /** The version an event of this type is read at, after upcasting. */
    public static int currentVersion(String type) {
        Integer version = CURRENT_VERSION.get(type);
        if (version == null) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        return version;
    }

    /** Reads a stored event of any known version: upcast through {@link #CHAIN}, then decoded. */
    public static DomainEvent decode(String type, int schemaVersion, JsonObject data) {
        Upcasters.Upcasted current = CHAIN.upcast(type, schemaVersion, data);
        Integer expected = CURRENT_VERSION.get(type);
        if (expected == null) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        if (current.schemaVersion() != expected) {
            throw new IllegalArgumentException("no upcaster from " + type + " v" + current.schemaVersion() + " to v" + expected);
        }
        return decodeCurrent(type, current.data());
    }

    private static DomainEvent decodeCurrent(String type, JsonObject data) {
        return switch (type) {
            case SERVICE_ACCOUNT_CREATED -> new ServiceAccountCreated(
                    data.getString("org"),
                    data.getString("name"),
                    data.getString("description"),
                    Privilege.fromWireName(data.getString("privilege")).orElseThrow(),
                    Instant.parse(data.getString("created_at")),
                    data.getString("created_by"));
            case SERVICE_ACCOUNT_UPDATED -> new ServiceAccountUpdated(
                    data.getString("org"),
                    data.getString("name"),
                    data.getString("description"),
                    data.getString("privilege") == null ? null : Privilege.fromWireName(data.getString("privilege")).orElseThrow(),
                    Instant.parse(data.getString("updated_at")),
                    data.getString("updated_by"));
            case SERVICE_ACCOUNT_DELETED -> new ServiceAccountDeleted(
                    data.getString("org"),
                    data.getString("name"),
                    Instant.parse(data.getString("deleted_at")),
                    data.getString("deleted_by"));
            case KEY_CREATED -> new KeyCreated(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    data.getString("description"),
                    data.getString("key_hash"),
                    Instant.parse(data.getString("created_at")),
                    data.getLong("expires_at"),
                    data.getString("created_by"));
            case KEY_REVOKED -> new KeyRevoked(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    Instant.parse(data.getString("revoked_at")),
                    data.getString("revoked_by"),
                    data.getString("reason"));
            case LEDGER_CHECKPOINT -> new LedgerCheckpoint(
                    data.getLong("position"),
                    data.getString("covers_transactions_below"),
                    data.getInteger("streams"),
                    data.getString("merkle_root"),
                    data.getString("signature"),
                    Instant.parse(data.getString("checkpointed_at")),
                    data.getString("key_id"));
            case KEY_EXPIRING_SOON -> new KeyExpiringSoon(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    data.getLong("expires_at"),
                    data.getString("warning"));
            case KEY_EXPIRED -> new KeyExpired(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    data.getLong("expires_at"));
            case ORG_KEY_POLICY_CHANGED -> new OrgKeyPolicyChanged(
                    data.getString("org"),
                    data.getInteger("max_lifetime_days"),
                    Instant.parse(data.getString("changed_at")),
                    data.getString("changed_by"));
            case KEY_LEAK_REPORTED -> new KeyLeakReported(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    data.getString("source"),
                    data.getString("url"),
                    Instant.parse(data.getString("reported_at")));
            case KEY_ROTATED -> new KeyRotated(
                    data.getString("id"),
                    data.getString("org"),
                    data.getString("service_account"),
                    data.getString("replaced_by"),
                    data.getLong("grace_period_expires_at"),
                    Instant.parse(data.getString("rotated_at")),
                    data.getString("rotated_by"));
            case PROJECTIONS_REBUILT -> new ProjectionsRebuilt(
                    data.getLong("events"),
                    data.getInteger("batches"),
                    data.getLong("duration_ms"),
                    Instant.parse(data.getString("rebuilt_at")),
                    data.getString("rebuilt_by"));
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
    }

    /** ISO-8601 at microsecond precision, the precision PostgreSQL keeps. */
    private static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
