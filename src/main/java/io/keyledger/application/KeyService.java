package io.keyledger.application;

import io.keyledger.projection.ActiveKeyView;
import io.keyledger.projection.DuplicateKeyHash;
import io.keyledger.projection.ReadModel;
import io.keyledger.projection.ServiceAccountView;
import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.CreateKey;
import io.keyledger.serviceaccount.CreateServiceAccount;
import io.keyledger.serviceaccount.DisableKey;
import io.keyledger.serviceaccount.EnableKey;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.OrgBootstrapped;
import io.keyledger.serviceaccount.Peppers;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.RevokeKey;
import io.keyledger.serviceaccount.RotateKey;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.WritePath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** API keys: issue, revoke, rotate (through {@link CommandHandler}) and look up. */
@ApplicationScoped
@Startup // registers its metrics at start, not on first use
public class KeyService {

    private static final int MINT_ATTEMPTS = 3;

    private final ApiKeyFormat format;
    private final Peppers peppers;
    private final Counter keysCreated;

    @Inject
    CommandHandler commands;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    @Inject
    public KeyService(ApiKeyFormat format, Peppers peppers, MeterRegistry registry) {
        this.format = format;
        this.peppers = peppers;
        this.keysCreated = Counter.builder("keyledger.keys.created").description("API keys issued").register(registry);
    }

    /**
     * Issues a key; {@code scopes} null for one that may do everything its account may, {@code allowedCidrs} null for
     * one usable from any address.
     */
    public Uni<IssuedKey> create(String org, String serviceAccount, String description, long expiresAt,
            List<String> scopes, List<String> allowedCidrs, EventMetadata metadata) {
        return withFreshKeyOnCollision(() -> {
            Minted key = mint();
            return commands
                    .handle(org, serviceAccount,
                            now -> new CreateKey(org, serviceAccount, key.id(), key.hash(), key.pepperId(), description,
                                    expiresAt, now, metadata.actorName(), scopes, allowedCidrs),
                            metadata)
                    .map(handled -> {
                        KeyCreated created = handled.first(KeyCreated.class);
                        return new IssuedKey(key.id(), key.value(), description, created.createdAt(),
                                created.expiresAt(), created.scopes(), created.allowedCidrs());
                    });
        }).invoke(() -> keysCreated.increment());
    }

    /** An org's first admin, made by the bootstrap token: its account and its first key. */
    public record BootstrappedAdmin(ServiceAccountView account, IssuedKey key) {
    }

    static final String BOOTSTRAP_KEY_DESCRIPTION = "first admin key (bootstrap)";

    /**
     * Creates an admin service account and its first key, and records {@link OrgBootstrapped} in stream
     * {@code bootstrap:<org>} at expected version 0, all in one transaction: an org that already has that event gets
     * a {@link io.keyledger.store.VersionConflict} naming that stream and nothing is stored.
     */
    public Uni<BootstrappedAdmin> bootstrapAdmin(String org, String name, String description, EventMetadata metadata) {
        return withFreshKeyOnCollision(() -> {
            Minted key = mint();
            return commands.handleAll(org, name, now -> List.of(
                    new CreateServiceAccount(org, name, description, Privilege.ADMIN, now, metadata.actorName()),
                    new CreateKey(org, name, key.id(), key.hash(), key.pepperId(), BOOTSTRAP_KEY_DESCRIPTION, 0, now,
                            metadata.actorName())),
                    now -> new WritePath.Claim(OrgBootstrapped.stream(org), List.of(
                            new OrgBootstrapped(org, name, key.id(), metadata.requestId(), now, metadata.actorName()))),
                    metadata).map(handled -> {
                        KeyCreated created = handled.first(KeyCreated.class);
                        ServiceAccountView account = new ServiceAccountView(org, name, handled.after().description(),
                                handled.after().privilege().wireName(), handled.after().createdAt());
                        return new BootstrappedAdmin(account,
                                new IssuedKey(key.id(), key.value(), created.description(), created.createdAt(),
                                        created.expiresAt(), created.scopes(), created.allowedCidrs()));
                    });
        }).invoke(() -> keysCreated.increment());
    }

    /** Revokes an active key; returns when it was revoked. */
    public Uni<Instant> revoke(String org, String serviceAccount, String keyId, EventMetadata metadata) {
        return commands
                .handle(org, serviceAccount,
                        now -> new RevokeKey(org, serviceAccount, keyId, now, metadata.actorName()), metadata)
                .map(handled -> handled.first(KeyRevoked.class).revokedAt());
    }

    /** Quarantines an active key (reversibly): refused everywhere until enabled. */
    public Uni<Void> disable(String org, String serviceAccount, String keyId, String reason, EventMetadata metadata) {
        return commands
                .handle(org, serviceAccount,
                        now -> new DisableKey(org, serviceAccount, keyId, reason, now, metadata.actorName()), metadata)
                .replaceWithVoid();
    }

    /** Lets a disabled key back in. */
    public Uni<Void> enable(String org, String serviceAccount, String keyId, EventMetadata metadata) {
        return commands
                .handle(org, serviceAccount,
                        now -> new EnableKey(org, serviceAccount, keyId, now, metadata.actorName()), metadata)
                .replaceWithVoid();
    }

    /** Replaces a key: the new value is shown once; the old key works until its grace period ends. */
    /** {@code scopes}: null to keep the old key's, or a narrower list; {@code allowedCidrs}: null to keep the old key's. */
    public Uni<RotatedKey> rotate(String org, String serviceAccount, String keyId, int gracePeriodHours, Long expiresAt,
            List<String> scopes, List<String> allowedCidrs, EventMetadata metadata) {
        return withFreshKeyOnCollision(() -> {
            Minted key = mint();
            return commands.handle(org, serviceAccount,
                    now -> new RotateKey(org, serviceAccount, keyId, key.id(), key.hash(), key.pepperId(),
                            gracePeriodHours, expiresAt, now, metadata.actorName(), scopes, allowedCidrs),
                    metadata).map(handled -> {
                        KeyCreated created = handled.first(KeyCreated.class);
                        KeyRotated rotated = handled.first(KeyRotated.class);
                        return new RotatedKey(
                                new IssuedKey(key.id(), key.value(), created.description(), created.createdAt(),
                                        created.expiresAt(), created.scopes(), created.allowedCidrs()),
                                keyId, rotated.gracePeriodExpiresAt());
                    });
        }).invoke(() -> keysCreated.increment());
    }

    /**
     * Two minted keys with the same hash are astronomically unlikely (~178 random bits), but the
     * unique index would turn one into a 500: mint again instead. Nothing was stored by the attempt.
     */
    private static <T> Uni<T> withFreshKeyOnCollision(Supplier<Uni<? extends T>> attempt) {
        return Uni.createFrom().<T>deferred(attempt).onFailure(DuplicateKeyHash.class).retry()
                .atMost(MINT_ATTEMPTS - 1);
    }

    /** A freshly minted key: its id, its value (shown once, never stored), the hash that is stored and its pepper. */
    private record Minted(String id, String value, String hash, String pepperId) {
        @Override
        public String toString() {
            return "Minted[id=" + id + ", value=<redacted>]";
        }
    }

    private Minted mint() {
        String value = format.newKey();
        // new keys are hashed with the current pepper only
        return new Minted(UUID.randomUUID().toString(), value, peppers.current().hash(value), peppers.currentId());
    }

    /** Active keys of a service account, newest first; empty Optional when the account does not exist. */
    public Uni<Optional<List<ActiveKeyView>>> listActive(String org, String serviceAccount) {
        if (!ServiceAccountNames.isValid(serviceAccount)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return readModel.findServiceAccount(org, serviceAccount)
                .chain(account -> account.isEmpty()
                        ? Uni.createFrom().item(Optional.<List<ActiveKeyView>>empty())
                        : readModel.listActiveKeys(org, serviceAccount, clock.instant()).map(Optional::of));
    }

    public Uni<Optional<ActiveKeyView>> findActive(String org, String serviceAccount, String keyId) {
        return readModel.findActiveKey(org, serviceAccount, keyId, clock.instant());
    }
}
