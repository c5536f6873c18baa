package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import io.keyledger.config.KeyledgerConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Bearer JWTs, verified by smallrye-jwt (signature, issuer, audience, age, expiry), but each
 * distinct token only once: profiling showed the RSA check and claim parsing were most of a
 * GET's CPU. What is kept is the small verified identity (subject and groups), never the token,
 * the request or the response, in a cache bounded by entries and bytes, and only until the
 * token's own {@code exp} (at most {@code keyledger.auth.jwt-cache-ttl}). Failed tokens are
 * never cached. API keys are left to {@link ApiKeyAuthMechanism}.
 */
@ApplicationScoped
public class CachedJwtAuthMechanism implements HttpAuthenticationMechanism {

    /**
     * What a verified token proved, and until when (epoch millis) that is trusted; with the (immutable) identity built
     * from it once, so a cached token costs no identity allocation per request.
     */
    record VerifiedJwt(String subject, Set<String> groups, long trustedUntil, SecurityIdentity identity) {
        VerifiedJwt(String subject, Set<String> groups, long trustedUntil) {
            this(subject, groups, trustedUntil, Identities.of(new Actor.User(subject), subject, groups));
        }

        long bytes() {
            // the identity: its builder's sets and maps, the principal and the actor (the strings are shared)
            long total = 32 + 160 + BoundedCache.bytes(subject);
            for (String group : groups) {
                total += 16 + BoundedCache.bytes(group);
            }
            return total;
        }
    }

    private final Cache<String, VerifiedJwt> verified;
    private final long longestMillis;
    /** The IdP's group names read as keyledger's, once per verified token (so cached identities hold the result). */
    private final GroupPatterns patterns;

    private static final Logger LOG = Logger.getLogger(CachedJwtAuthMechanism.class);

    @Inject
    Clock clock;

    /** The same skew smallrye-jwt allows on exp. */
    @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60")
    long skewSeconds;

    @Inject
    public CachedJwtAuthMechanism(KeyledgerConfig config) {
        KeyledgerConfig.Auth auth = config.auth();
        this.verified = BoundedCache.build(auth.jwtCacheSize(), auth.jwtCacheMaxBytes().asLongValue(),
                auth.jwtCacheTtl(), VerifiedJwt::bytes, BoundedCache::bytes);
        this.longestMillis = auth.jwtCacheTtl().toMillis();
        this.patterns = GroupPatterns.of(auth.adminGroupPattern(), auth.memberGroupPattern(), auth.roleGroupPattern());
    }

    /** Builds this bean at start, so a wrong group pattern stops the start with its message, not the first request. */
    void checkGroupPatterns(@Observes @Priority(2) StartupEvent startup) {
        // nothing to do: being called builds the bean, and its constructor checks the patterns
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(7).trim();
        String cacheKey = sha256(token);
        VerifiedJwt hit = verified.getIfPresent(cacheKey);
        long now = clock.millis();
        long skewMillis = skewSeconds * 1000;
        if (hit != null && hit.trustedUntil() > now) {
            return Uni.createFrom().item(hit.identity());
        }
        return identityProviderManager
                .authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                        new TokenAuthenticationRequest(new JsonWebTokenCredential(token)), context))
                .onFailure().transform(failure -> refused(context, JwtRefusal.classify(failure), failure)).map(full -> {
                    if (!(full.getPrincipal() instanceof JsonWebToken jwt) || jwt.getSubject() == null
                            || jwt.getSubject().indexOf('\u0000') >= 0) {
                        // smallrye-jwt falls back to upn/preferred_username; the audit trail needs a subject
                        throw refused(context, JwtRefusal.NO_SUBJECT, null);
                    }
                    if (jwt.getIssuedAtTime() * 1000 > now + skewMillis) {
                        // a forward-dated iat would stretch the token's allowed age (mp.jwt.verify.token.age)
                        throw refused(context, JwtRefusal.ISSUED_IN_FUTURE, null);
                    }
                    long until = Math.min(jwt.getExpirationTime() * 1000, now + longestMillis);
                    VerifiedJwt small = new VerifiedJwt(jwt.getSubject(), patterns.translate(full.getRoles()), until);
                    if (jwt.getExpirationTime() > 0) {
                        verified.put(cacheKey, small);
                    }
                    return small.identity();
                });
    }

    /** Logged at INFO with the request id, never the token: enough to tell a caller why, nothing to replay. */
    private static io.quarkus.security.AuthenticationFailedException refused(RoutingContext context, String reason,
            Throwable cause) {
        if (cause instanceof io.quarkus.security.AuthenticationFailedException failed
                && JwtRefusal.reasonOf(failed) != null) {
            return failed;
        }
        Object requestId = context.get("request_id");
        LOG.infof("JWT refused (%s), request %s", reason, requestId == null ? "-" : requestId);
        return JwtRefusal.failure(reason);
    }

    /** Identities held now, for the bounds test. */
    public long cachedIdentities() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    public long cachedBytes() {
        verified.cleanUp();
        return verified.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** One digest per thread (the event loops): no provider lookup per request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String sha256(String token) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return java.util.HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"keyledger\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // after ApiKeyAuthMechanism (which steps aside for JWTs), before smallrye-jwt's own mechanism
        return DEFAULT_PRIORITY + 50;
    }
}
