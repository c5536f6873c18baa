package io.keyledger.auth;

import io.keyledger.projection.VerifiedKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Turns a valid API key into the identity of its service account: principal
 * {@code service-account:<org>:<name>}, the org group its privilege grants (admin manages;
 * member, snapshotter and reader may read) and an {@link Actor.ApiKey}. Anything else is a 401.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    @Inject
    ApiKeyVerifier verifier;

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return verifier.verifyAndRecordUse(request.key(), null).map(ApiKeyIdentityProvider::identityOf);
    }

    /** The identity of a valid key's service account; a refused key fails authentication with its code. */
    static SecurityIdentity identityOf(Verification result) {
        VerifiedKey key = result.key().orElseThrow(() -> new AuthenticationFailedException("API key " + result.code()));
        Actor.ApiKey actor = new Actor.ApiKey(key.keyId(), key.org(), key.serviceAccount());
        return Identities.of(actor, actor.name(), Set.of(groupFor(key.org(), key.privilege())), key.scopes());
    }

    static String groupFor(String org, String privilege) {
        return "org:" + org + ":" + ("admin".equals(privilege) ? "admin" : "member");
    }
}
