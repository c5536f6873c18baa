package io.keyledger.keys;

import io.keyledger.accounts.ServiceAccountNames;
import io.keyledger.auth.ApiKeyVerifier;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.ActiveKeyView;
import io.keyledger.projection.EventRecorder;
import io.keyledger.projection.ReadModel;
import io.keyledger.store.EventMetadata;
import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Issues and looks up API keys: the I/O shell around {@link KeyDecider}. */
@ApplicationScoped
@Startup // registers its metrics at start, not on first use
public class KeyService {

    static final String KEY_HASH_UNIQUE = "api_keys_key_hash_key";
    private static final int MINT_ATTEMPTS = 3;

    private final ApiKeyFormat format;
    private final KeyHasher hasher;
    private final int maxActiveKeys;
    private final Counter keysCreated;

    @Inject
    EventRecorder recorder;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    public KeyService(KeyledgerConfig config, ApiKeyFormat format, KeyHasher hasher, MeterRegistry registry) {
        this.format = format;
        this.hasher = hasher;
        this.maxActiveKeys = config.keys().maxActivePerServiceAccount();
        this.keysCreated = Counter.builder("keyledger.keys.created").description("API keys issued").register(registry);
    }

    public Uni<IssuedKey> create(String org, String serviceAccount, String description, long expiresAt,
                                 EventMetadata metadata) {
        return withFreshKeyOnCollision(() -> createOnce(org, serviceAccount, description, expiresAt, metadata));
    }

    private Uni<IssuedKey> createOnce(String org, String serviceAccount, String description, long expiresAt,
                                      EventMetadata metadata) {
        Minted key = mint();
        return recorder.onAccount(org, serviceAccount, (tx, state, now) -> {
            var command = new CreateKey(org, serviceAccount, key.id(), key.hash(), description, expiresAt, now, metadata.actorName());
            List<KeyEvent> events = KeyDecider.decide(command, state, maxActiveKeys);
            return recorder.record(tx, org, serviceAccount, state, events, metadata)
                    .replaceWith(new IssuedKey(key.id(), key.value(), description, now, expiresAt));
        }).invoke(() -> keysCreated.increment());
    }

    /** Revokes an active key; returns when it was revoked. */
    public Uni<Instant> revoke(String org, String serviceAccount, String keyId, EventMetadata metadata) {
        return recorder.onAccount(org, serviceAccount, (tx, state, now) -> {
            List<KeyEvent> events = KeyDecider.decide(new RevokeKey(org, serviceAccount, keyId, now, metadata.actorName()), state);
            return recorder.record(tx, org, serviceAccount, state, events, metadata).replaceWith(now);
        }).invoke(() -> verifier.invalidate(keyId));
    }

    /** Replaces a key: the new value is shown once; the old key works until its grace period ends. */
    public Uni<RotatedKey> rotate(String org, String serviceAccount, String keyId, int gracePeriodHours, Long expiresAt,
                                  EventMetadata metadata) {
        return withFreshKeyOnCollision(() -> rotateOnce(org, serviceAccount, keyId, gracePeriodHours, expiresAt, metadata));
    }

    private Uni<RotatedKey> rotateOnce(String org, String serviceAccount, String keyId, int gracePeriodHours,
                                       Long expiresAt, EventMetadata metadata) {
        Minted key = mint();
        return recorder.onAccount(org, serviceAccount, (tx, state, now) -> {
            var command = new RotateKey(org, serviceAccount, keyId, key.id(), key.hash(), gracePeriodHours, expiresAt, now,
                    metadata.actorName());
            List<KeyEvent> events = KeyDecider.decide(command, state);
            KeyCreated created = (KeyCreated) events.get(0);
            KeyRotated rotated = (KeyRotated) events.get(1);
            return recorder.record(tx, org, serviceAccount, state, events, metadata)
                    .replaceWith(new RotatedKey(new IssuedKey(key.id(), key.value(), created.description(), now,
                            created.expiresAt()), keyId, rotated.gracePeriodExpiresAt()));
        }).invoke(() -> {
            keysCreated.increment();
            verifier.invalidate(keyId);
        });
    }

    /**
     * Two minted keys with the same hash are astronomically unlikely (~178 random bits), but the
     * unique index would turn one into a 500: mint again instead. Nothing was stored by the attempt.
     */
    private static <T> Uni<T> withFreshKeyOnCollision(java.util.function.Supplier<Uni<? extends T>> attempt) {
        return Uni.createFrom().<T>deferred(attempt).onFailure(KeyService::isHashCollision).retry().atMost(MINT_ATTEMPTS - 1);
    }

    static boolean isHashCollision(Throwable failure) {
        return failure instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                && KEY_HASH_UNIQUE.equals(pg.getConstraint());
    }

    /** A freshly minted key: its id, its value (shown once, never stored) and the hash that is stored. */
    private record Minted(String id, String value, String hash) {
    }

    private Minted mint() {
        String value = format.newKey();
        return new Minted(UUID.randomUUID().toString(), value, hasher.hash(value));
    }

    /** Active keys of a service account, newest first; empty Optional when the account does not exist. */
    public Uni<Optional<List<ActiveKeyView>>> listActive(String org, String serviceAccount) {
        if (!ServiceAccountNames.isValid(serviceAccount)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return readModel.findServiceAccount(org, serviceAccount).chain(account -> account.isEmpty()
                ? Uni.createFrom().item(Optional.<List<ActiveKeyView>>empty())
                : readModel.listActiveKeys(org, serviceAccount, clock.instant()).map(Optional::of));
    }

    public Uni<Optional<ActiveKeyView>> findActive(String org, String serviceAccount, String keyId) {
        return readModel.findActiveKey(org, serviceAccount, keyId, clock.instant());
    }
}
