package io.keyledger.auth;

import io.keyledger.config.KeyledgerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;

/**
 * API keys authenticate as in Kosli: {@code Authorization: Bearer <key>}, or HTTP Basic with
 * the key as the user name (the password is ignored). It runs before the JWT mechanism and
 * steps aside (null) for anything that is not one of our keys, so JWTs keep working.
 */
@ApplicationScoped
public class ApiKeyAuthMechanism implements HttpAuthenticationMechanism {

    @Inject
    ApiKeyVerifier verifier;

    /** Junk keys (malformed or a bad checksum) per address: they cost no query, and no real key is junk. */
    private final Throttle junk;
    /** Well-formed keys looked up per address: one query each; real ones give their token back. */
    private final Throttle lookups;
    private final Counter junkRejected;
    private final Counter lookupsRejected;

    @Inject
    public ApiKeyAuthMechanism(KeyledgerConfig config, Clock clock, MeterRegistry registry) {
        int junkPerMinute = config.rateLimit().failedAuthenticationsPerMinute();
        int lookupsPerMinute = config.rateLimit().unknownKeyLookupsPerMinute();
        long tracked = config.rateLimit().trackedClients();
        this.junk = new Throttle(junkPerMinute, junkPerMinute / 60.0, tracked, clock);
        this.lookups = new Throttle(lookupsPerMinute, lookupsPerMinute / 60.0, tracked, clock);
        // the same meter as api.RateLimiter's 429s, one more limit label each
        this.junkRejected = Counter.builder("keyledger.rate_limit.rejections").tag("limit", "failed_authentication")
                .description("Requests answered 429 by a rate limit").register(registry);
        this.lookupsRejected = Counter.builder("keyledger.rate_limit.rejections").tag("limit", "unknown_key_lookup")
                .description("Requests answered 429 by a rate limit").register(registry);
    }

    /**
     * Anyone can make well-formed keys (the checksum is public), so guessing costs the client:
     * each key that does not exist counts against its address, and an address that has used up
     * its allowance gets 429 before any database work is done (a key verified in memory still
     * works). A revoked or expired key is a real key (its answer is cached): it gets 401 and does
     * not count. Junk (a key no checksum check accepts) and well-formed keys have separate
     * allowances, the latter larger: junk from a shared address (behind a NAT or an untrusted
     * proxy) never gets a fresh real key answered 429. See docs/security.md.
     */
    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        String client = clientAddress(context);
        // a key already verified in memory costs nothing and never counts; any other key takes one of the address's
        // tokens before the lookup (so parallel requests cannot all slip past), given back if the key is real
        long start = System.nanoTime();
        Verification cached = verifier.validFromCache(key);
        if (cached != null) {
            // hashed and checked once: the identity provider takes this answer instead of verifying again
            return identityProviderManager.authenticate(new ApiKeyAuthenticationRequest(key, cached, start));
        }
        if (verifier.wasRecentlyValid(key)) {
            // a real key whose answer expired: it is looked up, but takes nothing from the address's allowance, so
            // clients behind one address with an attacker are not locked out when their cached answers lapse
            return identityProviderManager.authenticate(new ApiKeyAuthenticationRequest(key));
        }
        boolean wellFormed = verifier.isWellFormed(key);
        Throttle allowance = wellFormed ? lookups : junk;
        long wait = allowance.take(client);
        if (wait > 0) {
            (wellFormed ? lookupsRejected : junkRejected).increment();
            return Uni.createFrom().failure(TooManyFailedAttempts.failure(wait));
        }
        return identityProviderManager.authenticate(new ApiKeyAuthenticationRequest(key))
                .invoke(identity -> allowance.giveBack(client))
                .onFailure(AuthenticationFailedException.class).invoke(failure -> {
                    Object code = ((AuthenticationFailedException) failure).getAttributes() == null ? null
                            : ((AuthenticationFailedException) failure).getAttributes().get(ApiKeyIdentityProvider.CODE_ATTRIBUTE);
                    if (code != Verification.Code.NOT_FOUND && code != Verification.Code.INVALID_FORMAT) {
                        allowance.giveBack(client);   // revoked or expired: a real key, not a guess
                    }
                });
    }

    /**
     * Takes one of {@code client}'s failed-authentication tokens (the junk allowance) for another credential that
     * is checked without a query (the bootstrap token): 0 when allowed, else the seconds to wait (counted as a 429).
     */
    public long takeFailedAuthentication(String client) {
        long wait = junk.take(client);
        if (wait > 0) {
            junkRejected.increment();
        }
        return wait;
    }

    /** Gives back a token taken by {@link #takeFailedAuthentication}: the credential was right. */
    public void giveBackFailedAuthentication(String client) {
        junk.giveBack(client);
    }

    /** The peer address; behind a proxy, Quarkus's forwarded-header support (quarkus.http.proxy.*) sets it. */
    public static String clientAddress(RoutingContext context) {
        var address = context.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    String presentedKey(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return verifier.looksLikeKey(token) ? token : null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                return verifier.looksLikeKey(user) ? user : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"keyledger\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // ahead of smallrye-jwt, which would reject a non-JWT bearer token outright
        return DEFAULT_PRIORITY + 100;
    }
}
