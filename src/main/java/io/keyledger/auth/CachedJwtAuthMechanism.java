package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer JWTs, verified by smallrye-jwt exactly as before, but each distinct token only once:
 * the identity is kept until the token's own {@code exp} (at most five minutes). Profiling
 * showed the RSA check and claim parsing were most of a GET's CPU, repeated for the same token
 * on every call. Failed tokens are never cached. API keys are left to {@link ApiKeyAuthMechanism}.
 */
@ApplicationScoped
public class CachedJwtAuthMechanism implements HttpAuthenticationMechanism {

    private static final Duration LONGEST = Duration.ofMinutes(5);

    /** A verified identity and the moment (epoch millis) it stops being trusted. */
    private record Verified(SecurityIdentity identity, long trustedUntil) {
    }

    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(LONGEST)
            .build();

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(7).trim();
        String cacheKey = sha256(token);
        Verified hit = verified.getIfPresent(cacheKey);
        long now = System.currentTimeMillis();
        if (hit != null && hit.trustedUntil() > now) {
            return Uni.createFrom().item(hit.identity());
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                        new TokenAuthenticationRequest(new JsonWebTokenCredential(token)), context))
                .invoke(identity -> {
                    if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
                        long until = Math.min(jwt.getExpirationTime() * 1000, now + LONGEST.toMillis());
                        verified.put(cacheKey, new Verified(identity, until));
                    }
                });
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
