package io.keyledger.keys;

import io.keyledger.accounts.ServiceAccountNames;
import io.keyledger.auth.ApiKeyVerifier;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.events.Rejection;
import io.keyledger.projection.ActiveKeyView;
import io.keyledger.projection.EventRecorder;
import io.keyledger.projection.ReadModel;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.Transactions;
import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Issues and looks up API keys: the I/O shell around {@link KeyDecider}. */
@ApplicationScoped
@Startup // registers its metrics at start, not on first use
public class KeyService {

    private final ApiKeyFormat format;
    private final KeyHasher hasher;
    private final int maxActiveKeys;
    private final Counter keysCreated;

    @Inject
    Transactions transactions;

    @Inject
    EventRecorder recorder;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    @Inject
    ApiKeyVerifier verifier;

    @Inject
    public KeyService(KeyledgerConfig config, MeterRegistry registry) {
        this.format = new ApiKeyFormat(config.keys().prefix(), new SecureRandom());
        this.hasher = new KeyHasher(config.keys().hashPepper());
        this.maxActiveKeys = config.keys().maxActivePerServiceAccount();
        this.keysCreated = Counter.builder("keyledger.keys.created").description("API keys issued").register(registry);
    }

    public Uni<IssuedKey> create(String org, String serviceAccount, String description, long expiresAt,
                                 EventMetadata metadata) {
        if (!ServiceAccountNames.isValid(serviceAccount)) {
            return Uni.createFrom().failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "bad name"));
        }
        String keyValue = format.newKey();
        String keyId = UUID.randomUUID().toString();
        String keyHash = hasher.hash(keyValue);
        String streamId = ServiceAccountNames.streamId(org, serviceAccount);
        return transactions.decideAndAppend(tx -> readModel.lockKeyring(tx, org, serviceAccount).chain(state -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            CreateKey command = new CreateKey(org, serviceAccount, keyId, keyHash, description, expiresAt, now,
                    metadata.actor());
            List<KeyEvent> events = KeyDecider.decide(command, state, maxActiveKeys);
            KeyCreated created = (KeyCreated) events.get(0);
            return recorder.record(tx, streamId, state.version(), events, metadata)
                    .replaceWith(new IssuedKey(keyId, keyValue, description, created.createdAt(), expiresAt));
        })).invoke(() -> keysCreated.increment());
    }

    /** Revokes an active key; returns when it was revoked. */
    public Uni<Instant> revoke(String org, String serviceAccount, String keyId, EventMetadata metadata) {
        if (!ServiceAccountNames.isValid(serviceAccount)) {
            return Uni.createFrom().failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "bad name"));
        }
        String streamId = ServiceAccountNames.streamId(org, serviceAccount);
        return transactions.decideAndAppend(tx -> readModel.lockKeyring(tx, org, serviceAccount).chain(state -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<KeyEvent> events = KeyDecider.decide(new RevokeKey(org, serviceAccount, keyId, now, metadata.actor()), state);
            return recorder.record(tx, streamId, state.version(), events, metadata).replaceWith(now);
        })).invoke(() -> verifier.invalidate(keyId));
    }

    /** Replaces a key: the new value is shown once; the old key works until its grace period ends. */
    public Uni<RotatedKey> rotate(String org, String serviceAccount, String keyId, int gracePeriodHours, Long expiresAt,
                                  EventMetadata metadata) {
        if (!ServiceAccountNames.isValid(serviceAccount)) {
            return Uni.createFrom().failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "bad name"));
        }
        String keyValue = format.newKey();
        String newKeyId = UUID.randomUUID().toString();
        String keyHash = hasher.hash(keyValue);
        String streamId = ServiceAccountNames.streamId(org, serviceAccount);
        return transactions.decideAndAppend(tx -> readModel.lockKeyring(tx, org, serviceAccount).chain(state -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            RotateKey command = new RotateKey(org, serviceAccount, keyId, newKeyId, keyHash, gracePeriodHours, expiresAt,
                    now, metadata.actor());
            List<KeyEvent> events = KeyDecider.decide(command, state);
            KeyCreated created = (KeyCreated) events.get(0);
            KeyRotated rotated = (KeyRotated) events.get(1);
            return recorder.record(tx, streamId, state.version(), events, metadata)
                    .replaceWith(new RotatedKey(new IssuedKey(newKeyId, keyValue, created.description(), now,
                            created.expiresAt()), keyId, rotated.gracePeriodExpiresAt()));
        })).invoke(() -> {
            keysCreated.increment();
            verifier.invalidate(keyId);
        });
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
