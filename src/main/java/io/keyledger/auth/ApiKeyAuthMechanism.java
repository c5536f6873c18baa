package io.keyledger.auth;

import io.keyledger.usage.RequestLine;
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
    KeyCheck keyCheck;

    /**
     * A key is checked by {@link KeyCheck} (which throttles guessing per client address): a throttled address gets
     * a 429 with Retry-After, a refused key a 401, a valid one the identity of its service account.
     */
    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        // the API call itself is what the key was used for
        RequestLine request = new RequestLine(context.request().method().name(), context.request().path());
        return keyCheck.check(key, clientAddress(context), request).chain(result -> result.throttled()
                ? Uni.createFrom().failure(TooManyFailedAttempts.failure(result.retryAfterSeconds()))
                : result.addressRefused()
                        ? Uni.createFrom().failure(AddressNotAllowed.failure())
                        // checked already: the identity is built here, as the JWT mechanism hands back its
                        // cached one, without a second pass through the identity provider manager
                        : Uni.createFrom().item(() -> ApiKeyIdentityProvider.identityOf(result.verification())));
    }

    /**
     * Takes one of {@code client}'s failed-authentication tokens (the junk allowance) for another credential that
     * is checked without a query (the bootstrap token): 0 when allowed, else the seconds to wait (counted as a 429).
     */
    public long takeFailedAuthentication(String client) {
        return keyCheck.takeFailedAuthentication(client);
    }

    /** Gives back a token taken by {@link #takeFailedAuthentication}: the credential was right. */
    public void giveBackFailedAuthentication(String client) {
        keyCheck.giveBackFailedAuthentication(client);
    }

    /** The peer address; behind a proxy, Quarkus's forwarded-header support (quarkus.http.proxy.*) sets it. */
    public static String clientAddress(RoutingContext context) {
        var address = context.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    String presentedKey(String authorization) {
        return presentedKey(authorization, keyCheck);
    }

    /** The key in {@code Authorization: Bearer <key>} or as the user name of Basic, when it looks like one of ours. */
    public static String presentedKey(String authorization, KeyCheck keys) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return keys.looksLikeKey(token) ? token : null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                return keys.looksLikeKey(user) ? user : null;
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
