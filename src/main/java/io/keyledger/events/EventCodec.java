package io.keyledger.events;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyDisabled;
import io.keyledger.serviceaccount.KeyEnabled;
import io.keyledger.serviceaccount.KeyExpired;
import io.keyledger.serviceaccount.KeyExpiringSoon;
import io.keyledger.serviceaccount.KeyLeakReported;
import io.keyledger.serviceaccount.KeyRehashed;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.LedgerCheckpoint;
import io.keyledger.serviceaccount.OrgBootstrapped;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.Peppers;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ProjectionsRebuilt;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The one registry of event types: each has one entry with its stable name, class, stored JSON both ways,
 * upcasters and the fields it never publishes. Encoding, decoding, upcasting, the published form and the
 * CloudEvents type all derive from it.
 *
 * <p>Type names are stable strings, never class names, so a refactoring cannot break stored history; the mapping is
 * written out by hand, so it needs no reflection in a native image. Changes to a payload are additive; an
 * incompatible change gets a new schema version, which is one more upcaster in its entry.
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
    public static final String ORG_BOOTSTRAPPED = "OrgBootstrapped";
    public static final String KEY_REHASHED = "KeyRehashed";
    public static final String KEY_DISABLED = "KeyDisabled";
    public static final String KEY_ENABLED = "KeyEnabled";

    /** An event ready to store: its type, schema version and JSON data. */
    public record Encoded(String type, int schemaVersion, JsonObject data) {
    }

    /**
     * One event type: its stable name, its class, its stored JSON both ways, the upcasters that bring each older
     * version to the next (the current version is one more than their count), and the stored fields that are
     * never published (the published form is the stored form without them: {@code relay.PublishedEvents}).
     */
    public record EventType<E extends DomainEvent>(String name, Class<E> eventClass, Function<E, JsonObject> write,
            Function<JsonObject, E> read, List<UnaryOperator<JsonObject>> upcasters, Set<String> storedOnly) {
        public int version() {
            return upcasters.size() + 1;
        }

        JsonObject encode(DomainEvent event) {
            return write.apply(eventClass.cast(event));
        }

        EventType<E> withStoredOnly(String... fields) {
            return new EventType<>(name, eventClass, write, read, upcasters, Set.of(fields));
        }

        /** CloudEvents {@code type} of this type's current version: reverse-DNS, the stable name and the version. */
        public String cloudEventType() {
            return EventCodec.cloudEventType(name, version());
        }
    }

    /** The registry: adding an event type is one entry here (plus its record, its fold and its AsyncAPI schema). */
    static final List<EventType<?>> TYPES = List.of(
            type(SERVICE_ACCOUNT_CREATED, ServiceAccountCreated.class,
                    e -> new JsonObject().put("org", e.org()).put("name", e.name()).put("description", e.description())
                            .put("privilege", e.privilege().wireName()).put("created_at", instant(e.createdAt()))
                            .put("created_by", e.createdBy()),
                    d -> new ServiceAccountCreated(d.getString("org"), d.getString("name"), d.getString("description"),
                            Privilege.fromWireName(d.getString("privilege")).orElseThrow(),
                            Instant.parse(d.getString("created_at")), d.getString("created_by"))),
            type(SERVICE_ACCOUNT_UPDATED, ServiceAccountUpdated.class, e -> new JsonObject().put("org", e.org())
                    .put("name", e.name()).put("description", e.description())
                    .put("privilege", e.privilege() == null ? null : e.privilege().wireName()).put("updated_at",
                            instant(e.updatedAt()))
                    .put("updated_by", e.updatedBy()),
                    d -> new ServiceAccountUpdated(d.getString("org"), d.getString("name"), d.getString("description"),
                            d.getString("privilege") == null
                                    ? null
                                    : Privilege.fromWireName(d.getString("privilege")).orElseThrow(),
                            Instant.parse(d.getString("updated_at")), d.getString("updated_by"))),
            type(SERVICE_ACCOUNT_DELETED, ServiceAccountDeleted.class,
                    e -> new JsonObject()
                            .put("org", e.org()).put("name", e.name()).put("deleted_at", instant(
                                    e.deletedAt()))
                            .put("deleted_by", e.deletedBy()),
                    d -> new ServiceAccountDeleted(d.getString("org"), d.getString("name"),
                            Instant.parse(d.getString("deleted_at")), d.getString("deleted_by"))),
            type(KEY_CREATED, KeyCreated.class, e -> withScopes(
                    new JsonObject().put("id", e.keyId()).put("org", e.org()).put("service_account", e.serviceAccount())
                            .put("description", e.description()).put("key_hash", e.keyHash())
                            .put("pepper_id", e.pepperId()).put("created_at", instant(e.createdAt()))
                            .put("expires_at", e.expiresAt()).put("created_by", e.createdBy()),
                    e.scopes(), e.allowedCidrs()),
                    d -> new KeyCreated(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getString("description"), d.getString("key_hash"), d.getString("pepper_id"),
                            Instant.parse(d.getString("created_at")), d.getLong("expires_at"),
                            d.getString("created_by"), strings(d, "scopes"), strings(d, "allowed_cidrs")),
                    // v2 names the pepper of the hash; every v1 key was hashed under the single pepper of its
                    // day
                    v1 -> v1.put("pepper_id", Peppers.LEGACY_ID)).withStoredOnly("key_hash"),
            type(KEY_REVOKED, KeyRevoked.class, e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                    .put("service_account", e.serviceAccount()).put("revoked_at", instant(e.revokedAt()))
                    .put("revoked_by", e.revokedBy()).put("reason", e.reason()),
                    d -> new KeyRevoked(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            Instant.parse(d.getString("revoked_at")), d.getString("revoked_by"), d.getString("reason")),
                    // v2 added the reason; every v1 revocation was an admin's (or its account's deletion, which v1
                    // did not tell apart): it reads as "revoked"
                    v1 -> v1.put("reason", KeyRevoked.REVOKED)),
            type(LEDGER_CHECKPOINT, LedgerCheckpoint.class,
                    e -> new JsonObject().put("position", e.position())
                            .put("covers_transactions_below", e.coversTransactionsBelow()).put("streams", e.streams())
                            .put("merkle_root", e.merkleRoot()).put("signature", e.signature())
                            .put("checkpointed_at", instant(e.checkpointedAt())).put("key_id", e.keyId()),
                    d -> new LedgerCheckpoint(d.getLong("position"), d.getString("covers_transactions_below"),
                            d.getInteger("streams"), d.getString("merkle_root"), d.getString("signature"),
                            Instant.parse(d.getString("checkpointed_at")), d.getString("key_id")),
                    // v2: the same fields, signed over the ledger entry form of V10 (ledger.CheckpointStatement)
                    UnaryOperator.identity(),
                    // v3 names the signing key; a v2 checkpoint named none and verifies against every known key
                    v2 -> v2.put("key_id", null)),
            type(KEY_EXPIRING_SOON, KeyExpiringSoon.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("expires_at", e.expiresAt())
                            .put("warning", e.warning()),
                    d -> new KeyExpiringSoon(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getLong("expires_at"), d.getString("warning"))),
            type(KEY_EXPIRED, KeyExpired.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("expires_at", e.expiresAt()),
                    d -> new KeyExpired(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getLong("expires_at"))),
            type(ORG_KEY_POLICY_CHANGED, OrgKeyPolicyChanged.class,
                    e -> new JsonObject().put("org", e.org()).put("max_lifetime_days", e.maxLifetimeDays())
                            .put("on_leak", e.onLeak().wireName()).put("changed_at", instant(e.changedAt()))
                            .put("changed_by", e.changedBy()),
                    // stored before on_leak existed: a leak revoked, as it still does by default
                    d -> new OrgKeyPolicyChanged(d.getString("org"), d.getInteger("max_lifetime_days"),
                            OrgKeyPolicy.OnLeak.ofWireName(d.getString("on_leak", "revoke")),
                            Instant.parse(d.getString("changed_at")), d.getString("changed_by"))),
            type(KEY_LEAK_REPORTED, KeyLeakReported.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("source", e.source()).put("url", e.url())
                            .put("reported_at", instant(e.reportedAt())),
                    d -> new KeyLeakReported(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getString("source"), d.getString("url"), Instant.parse(d.getString("reported_at")))),
            type(KEY_ROTATED, KeyRotated.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("replaced_by", e.replacedBy())
                            .put("grace_period_expires_at", e.gracePeriodExpiresAt())
                            .put("rotated_at", instant(e.rotatedAt())).put("rotated_by", e.rotatedBy()),
                    d -> new KeyRotated(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getString("replaced_by"), d.getLong("grace_period_expires_at"),
                            Instant.parse(d.getString("rotated_at")), d.getString("rotated_by"))),
            type(PROJECTIONS_REBUILT, ProjectionsRebuilt.class,
                    e -> new JsonObject().put("events", e.events()).put("batches", e.batches())
                            .put("duration_ms", e.durationMillis()).put("rebuilt_at", instant(e.rebuiltAt()))
                            .put("rebuilt_by", e.rebuiltBy()),
                    d -> new ProjectionsRebuilt(d.getLong("events"), d.getInteger("batches"), d.getLong("duration_ms"),
                            Instant.parse(d.getString("rebuilt_at")), d.getString("rebuilt_by"))),
            type(ORG_BOOTSTRAPPED, OrgBootstrapped.class,
                    e -> new JsonObject().put("org", e.org()).put("service_account", e.serviceAccount())
                            .put("key_id", e.keyId()).put("request_id", e.requestId())
                            .put("bootstrapped_at", instant(e.bootstrappedAt()))
                            .put("bootstrapped_by", e.bootstrappedBy()),
                    d -> new OrgBootstrapped(d.getString("org"), d.getString("service_account"), d.getString("key_id"),
                            d.getString("request_id"), Instant.parse(d.getString("bootstrapped_at")),
                            d.getString("bootstrapped_by"))),
            type(KEY_REHASHED, KeyRehashed.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("from_pepper_id", e.fromPepperId())
                            .put("to_pepper_id", e.toPepperId()).put("key_hash", e.keyHash())
                            .put("rehashed_at", instant(e.rehashedAt())),
                    d -> new KeyRehashed(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getString("from_pepper_id"), d.getString("to_pepper_id"), d.getString("key_hash"),
                            Instant.parse(d.getString("rehashed_at"))))
                    .withStoredOnly("key_hash"),
            type(KEY_DISABLED, KeyDisabled.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("reason", e.reason())
                            .put("disabled_at", instant(e.disabledAt())).put("disabled_by", e.disabledBy()),
                    d -> new KeyDisabled(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            d.getString("reason"), Instant.parse(d.getString("disabled_at")),
                            d.getString("disabled_by"))),
            type(KEY_ENABLED, KeyEnabled.class,
                    e -> new JsonObject().put("id", e.keyId()).put("org", e.org())
                            .put("service_account", e.serviceAccount()).put("enabled_at", instant(e.enabledAt()))
                            .put("enabled_by", e.enabledBy()),
                    d -> new KeyEnabled(d.getString("id"), d.getString("org"), d.getString("service_account"),
                            Instant.parse(d.getString("enabled_at")), d.getString("enabled_by"))));

    /**
     * A key's scopes are written only when it has some: a key issued without them is stored and published exactly
     * as before scopes existed (an additive field, so the schema version stays).
     */
    private static JsonObject withScopes(JsonObject data, List<String> scopes, List<String> allowedCidrs) {
        if (scopes != null) {
            data.put("scopes", new io.vertx.core.json.JsonArray(scopes));
        }
        return allowedCidrs == null ? data : data.put("allowed_cidrs", new io.vertx.core.json.JsonArray(allowedCidrs));
    }

    private static List<String> strings(JsonObject data, String field) {
        io.vertx.core.json.JsonArray values = data.getJsonArray(field);
        return values == null ? null : values.stream().map(String::valueOf).toList();
    }

    private static final String CLOUD_EVENT_PREFIX = "io.keyledger.";

    /** CloudEvents {@code type} of a stored event: reverse-DNS, the stable type name and its schema version. */
    public static String cloudEventType(String type, int schemaVersion) {
        return CLOUD_EVENT_PREFIX + type + ".v" + schemaVersion;
    }

    private static final Map<String, EventType<?>> BY_NAME = index(EventType::name);
    private static final Map<Class<?>, EventType<?>> BY_CLASS = index(EventType::eventClass);

    /** The upcasting chain of every registered type, built from the registry. */
    static final Upcasters CHAIN = new Upcasters(
            TYPES.stream().flatMap(type -> IntStream.range(0, type.upcasters().size())
                    .mapToObj(i -> new Upcasters.Step(type.name(), i + 1, type.upcasters().get(i)))).toList());

    @SafeVarargs
    private static <E extends DomainEvent> EventType<E> type(String name, Class<E> eventClass,
            Function<E, JsonObject> write, Function<JsonObject, E> read, UnaryOperator<JsonObject>... upcasters) {
        return new EventType<>(name, eventClass, write, read, List.of(upcasters), Set.of());
    }

    private static <K> Map<K, EventType<?>> index(Function<EventType<?>, K> key) {
        Map<K, EventType<?>> index = new HashMap<>();
        for (EventType<?> type : TYPES) {
            if (index.put(key.apply(type), type) != null) {
                throw new IllegalStateException("two event types registered as " + key.apply(type));
            }
        }
        return Map.copyOf(index);
    }

    private EventCodec() {
    }

    /** Every registered type, in registry order. */
    public static List<EventType<?>> types() {
        return TYPES;
    }

    /** The registered type of an event, or an {@link IllegalArgumentException} for an unregistered class. */
    public static EventType<?> typeOf(DomainEvent event) {
        EventType<?> type = BY_CLASS.get(event.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no event type registered for " + event.getClass().getSimpleName());
        }
        return type;
    }

    /** The stable type name in a CloudEvents {@code type} ({@code io.keyledger.<name>.v<n>}), if it names a registered type. */
    public static Optional<String> fromCloudEventType(String cloudEventType) {
        if (cloudEventType == null || !cloudEventType.startsWith(CLOUD_EVENT_PREFIX)) {
            return Optional.empty();
        }
        int version = cloudEventType.lastIndexOf(".v");
        if (version <= CLOUD_EVENT_PREFIX.length()) {
            return Optional.empty();
        }
        return named(cloudEventType.substring(CLOUD_EVENT_PREFIX.length(), version)).map(EventType::name);
    }

    /** The registered type of this stable name, if there is one. */
    public static Optional<EventType<?>> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Encoded encode(DomainEvent event) {
        EventType<?> type = typeOf(event);
        return new Encoded(type.name(), type.version(), type.encode(event));
    }

    /** The version an event of this type is read at, after upcasting. */
    public static int currentVersion(String type) {
        return named(type).orElseThrow(() -> new IllegalArgumentException("unknown event type " + type)).version();
    }

    /** Reads a stored event of any known version: upcast through its type's chain, then decoded. */
    public static DomainEvent decode(String type, int schemaVersion, JsonObject data) {
        EventType<?> registered = named(type)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + type));
        Upcasters.Upcasted current = CHAIN.upcast(type, schemaVersion, data);
        if (current.schemaVersion() != registered.version()) {
            throw new IllegalArgumentException(
                    "no upcaster from " + type + " v" + current.schemaVersion() + " to v" + registered.version());
        }
        return registered.read().apply(current.data());
    }

    /** ISO-8601 at microsecond precision, the precision PostgreSQL keeps. */
    private static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
