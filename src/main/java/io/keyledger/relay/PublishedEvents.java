package io.keyledger.relay;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.format.UnixSeconds;
import io.keyledger.serviceaccount.ServiceAccountEvent;
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

/**
 * The public, audited form of each event as it goes to Kafka: documented in
 * {@code src/main/asyncapi/keyledger.asyncapi.yaml}. Written out field by field so a stored
 * detail (the key hash) can never leak by accident.
 */
public final class PublishedEvents {

    private PublishedEvents() {
    }

    /** CloudEvents {@code type} of an event: reverse-DNS, the stable type name and its schema version. */
    public static String cloudEventType(String type, int schemaVersion) {
        return "io.keyledger." + type + ".v" + schemaVersion;
    }

    public static JsonObject value(DomainEvent event) {
        if (event instanceof ServiceAccountCreated e) {
            return new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("description", e.description())
                    .put("privilege", e.privilege().wireName())
                    .put("created_at", UnixSeconds.of(e.createdAt()))
                    .put("created_by", e.createdBy());
        }
        if (event instanceof ServiceAccountUpdated e) {
            return new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("description", e.description())
                    .put("privilege", e.privilege() == null ? null : e.privilege().wireName())
                    .put("updated_at", UnixSeconds.of(e.updatedAt()))
                    .put("updated_by", e.updatedBy());
        }
        if (event instanceof ServiceAccountDeleted e) {
            return new JsonObject()
                    .put("org", e.org())
                    .put("name", e.name())
                    .put("deleted_at", UnixSeconds.of(e.deletedAt()))
                    .put("deleted_by", e.deletedBy());
        }
        if (event instanceof KeyCreated e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("description", e.description())
                    .put("created_at", UnixSeconds.of(e.createdAt()))
                    .put("expires_at", e.expiresAt())
                    .put("created_by", e.createdBy());
        }
        if (event instanceof KeyRevoked e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("revoked_at", UnixSeconds.of(e.revokedAt()))
                    .put("revoked_by", e.revokedBy())
                    .put("reason", e.reason());
        }
        if (event instanceof LedgerCheckpoint e) {
            return new JsonObject()
                    .put("position", e.position())
                    .put("covers_transactions_below", e.coversTransactionsBelow())
                    .put("streams", e.streams())
                    .put("merkle_root", e.merkleRoot())
                    .put("signature", e.signature())
                    .put("checkpointed_at", UnixSeconds.of(e.checkpointedAt()))
                    .put("key_id", e.keyId());
        }
        if (event instanceof KeyExpiringSoon e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("expires_at", e.expiresAt())
                    .put("warning", e.warning());
        }
        if (event instanceof KeyExpired e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("expires_at", e.expiresAt());
        }
        if (event instanceof OrgKeyPolicyChanged e) {
            return new JsonObject()
                    .put("org", e.org())
                    .put("max_lifetime_days", e.maxLifetimeDays())
                    .put("changed_at", UnixSeconds.of(e.changedAt()))
                    .put("changed_by", e.changedBy());
        }
        if (event instanceof KeyLeakReported e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("source", e.source())
                    .put("url", e.url())
                    .put("reported_at", UnixSeconds.of(e.reportedAt()));
        }
        if (event instanceof KeyRotated e) {
            return new JsonObject()
                    .put("id", e.keyId())
                    .put("org", e.org())
                    .put("service_account", e.serviceAccount())
                    .put("replaced_by", e.replacedBy())
                    .put("grace_period_expires_at", e.gracePeriodExpiresAt())
                    .put("rotated_at", UnixSeconds.of(e.rotatedAt()))
                    .put("rotated_by", e.rotatedBy());
        }
        if (event instanceof ProjectionsRebuilt e) {
            return new JsonObject()
                    .put("events", e.events())
                    .put("batches", e.batches())
                    .put("duration_ms", e.durationMillis())
                    .put("rebuilt_at", UnixSeconds.of(e.rebuiltAt()))
                    .put("rebuilt_by", e.rebuiltBy());
        }
        throw new IllegalArgumentException("no published form for " + event.getClass().getSimpleName());
    }
}
