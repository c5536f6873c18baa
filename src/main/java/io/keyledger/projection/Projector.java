package io.keyledger.projection;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.serviceaccount.KeyExpired;
import io.keyledger.serviceaccount.KeyExpiringSoon;
import io.keyledger.serviceaccount.KeyLeakReported;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Builds the service-account and active-key read models from events. It runs inside the
 * append transaction (so a GET right after a 201 always sees the key). A rebuild from the log
 * ({@link ReadModelRebuild}) gives each event the same meaning.
 */
@ApplicationScoped
public class Projector implements WritePath.InlineProjection {

    static final String INSERT_ACCOUNT = """
            INSERT INTO service_accounts (org, name, description, privilege, created_at, created_by, stream_version)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (org, name) DO UPDATE
               SET description = EXCLUDED.description, privilege = EXCLUDED.privilege, created_at = EXCLUDED.created_at,
                   created_by = EXCLUDED.created_by, stream_version = EXCLUDED.stream_version, deleted_at = NULL""";
    static final String UPDATE_ACCOUNT = """
            UPDATE service_accounts
               SET description = coalesce($3, description), privilege = coalesce($4, privilege), stream_version = $5
             WHERE org = $1 AND name = $2""";
    static final String DELETE_ACCOUNT =
            "UPDATE service_accounts SET deleted_at = $3, stream_version = $4, unrevoked_keys = 0 WHERE org = $1 AND name = $2";
    static final String BUMP_ACCOUNT_VERSION =
            "UPDATE service_accounts SET stream_version = $3 WHERE org = $1 AND name = $2";
    /** Inserts the key and moves the account's version and unrevoked-key count in one round trip. */
    static final String INSERT_KEY = """
            WITH inserted AS (
                INSERT INTO api_keys (id, org, service_account, description, key_hash, created_at, expires_at, created_by,
                                      next_notice_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10))
            UPDATE service_accounts SET stream_version = $9, unrevoked_keys = unrevoked_keys + 1 WHERE org = $2 AND name = $3""";
    /** Revokes the key (once) and moves the account's version and count in one round trip. */
    static final String REVOKE_KEY = """
            WITH revoked AS (
                UPDATE api_keys SET revoked_at = $2, next_notice_at = NULL WHERE id = $1 AND revoked_at IS NULL RETURNING id)
            UPDATE service_accounts SET stream_version = $5, unrevoked_keys = unrevoked_keys - (SELECT count(*) FROM revoked)
             WHERE org = $3 AND name = $4""";
    static final String ADD_NOTICE = "UPDATE api_keys SET expiry_notices = array_append(expiry_notices, $2) WHERE id = $1";
    static final String MARK_ROTATED =
            "UPDATE api_keys SET expires_at = $2, replaced_by = $3, next_notice_at = NULL WHERE id = $1";
    static final String UPSERT_POLICY = "INSERT INTO org_key_policies (org, max_lifetime_days, updated_at, updated_by, stream_version)"
            + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org) DO UPDATE SET max_lifetime_days = EXCLUDED.max_lifetime_days,"
            + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, stream_version = EXCLUDED.stream_version";

    @Inject
    ReadModelRebuild rebuild;

    private List<ExpiryWarnings.Threshold> thresholds;

    @Inject
    void thresholds(io.keyledger.config.KeyledgerConfig config) {
        this.thresholds = ExpiryWarnings.parse(config.expiry().warnings());
    }

    /** Applies one event that is the {@code streamVersion}-th of its stream. */
    @Override
    public Uni<Void> apply(SqlConnection tx, DomainEvent event, int streamVersion) {
        return applyOne(tx, event, streamVersion).onFailure(DuplicateKeyHash::isCause).transform(e -> new DuplicateKeyHash());
    }

    private Uni<Void> applyOne(SqlConnection tx, DomainEvent event, int streamVersion) {
        if (event instanceof ServiceAccountCreated e) {
            return tx.preparedQuery(INSERT_ACCOUNT).execute(Tuple.from(List.of(e.org(), e.name(), e.description(),
                    e.privilege().wireName(), utc(e.createdAt()), e.createdBy(), streamVersion))).replaceWithVoid();
        }
        if (event instanceof ServiceAccountUpdated e) {
            return tx.preparedQuery(UPDATE_ACCOUNT).execute(Tuple.from(java.util.Arrays.asList(e.org(), e.name(),
                    e.description(), e.privilege() == null ? null : e.privilege().wireName(), streamVersion))).replaceWithVoid();
        }
        if (event instanceof ServiceAccountDeleted e) {
            return tx.preparedQuery(DELETE_ACCOUNT).execute(Tuple.of(e.org(), e.name(), utc(e.deletedAt()), streamVersion))
                    .replaceWithVoid();
        }
        if (event instanceof KeyCreated e) {
            Long firstNotice = ExpiryWarnings.nextNoticeAt(e.expiresAt(), java.util.Set.of(), thresholds);
            return tx.preparedQuery(INSERT_KEY).execute(Tuple.from(java.util.Arrays.asList(e.keyId(), e.org(), e.serviceAccount(),
                            e.description(), e.keyHash(), utc(e.createdAt()), e.expiresAt(), e.createdBy(), streamVersion,
                            firstNotice)))
                    .replaceWithVoid();
        }
        if (event instanceof KeyRevoked e) {
            return tx.preparedQuery(REVOKE_KEY).execute(Tuple.of(e.keyId(), utc(e.revokedAt()), e.org(), e.serviceAccount(),
                    streamVersion)).replaceWithVoid();
        }
        if (event instanceof KeyRotated e) {
            return tx.preparedQuery(MARK_ROTATED).execute(Tuple.of(e.keyId(), e.gracePeriodExpiresAt(), e.replacedBy()))
                    .chain(() -> bumpVersion(tx, e.org(), e.serviceAccount(), streamVersion));
        }
        if (event instanceof OrgKeyPolicyChanged e) {
            return tx.preparedQuery(UPSERT_POLICY).execute(Tuple.of(e.org(), e.maxLifetimeDays(), utc(e.changedAt()),
                    e.changedBy(), streamVersion)).replaceWithVoid();
        }
        if (event instanceof KeyExpiringSoon e) {
            return tx.preparedQuery(ADD_NOTICE).execute(Tuple.of(e.keyId(), e.warning()))
                    .chain(() -> bumpVersion(tx, e.org(), e.serviceAccount(), streamVersion));
        }
        if (event instanceof KeyExpired e) {
            return tx.preparedQuery(ADD_NOTICE).execute(Tuple.of(e.keyId(), ServiceAccount.EXPIRED))
                    .chain(() -> bumpVersion(tx, e.org(), e.serviceAccount(), streamVersion));
        }
        if (event instanceof KeyLeakReported e) {
            // nothing to show, but the snapshot's version must follow the stream
            return bumpVersion(tx, e.org(), e.serviceAccount(), streamVersion);
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * Rebuilds the read models from the log while the service keeps answering and the relay keeps
     * publishing: see {@link ReadModelRebuild}. Usage ({@code key_usage}) is not a projection of
     * events and is left untouched.
     */
    public Uni<ReadModelRebuild.Report> rebuild() {
        return rebuild.run();
    }

    private static Uni<Void> bumpVersion(SqlConnection tx, String org, String name, int version) {
        return tx.preparedQuery(BUMP_ACCOUNT_VERSION).execute(Tuple.of(org, name, version)).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
