package io.keyledger.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns a valid API key into the identity of its service account: principal
 * {@code service-account:<org>:<name>}, and the org group its privilege grants (admin manages;
 * member, snapshotter and reader may read). Anything else is a 401.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    public static final String KEY_ID_ATTRIBUTE = "keyledger.key_id";

    @Inject
    ApiKeyVerifier verifier;

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return verifier.verifyAndRecordUse(request.key()).map(result -> {
            VerifiedKey key = result.key().orElseThrow(() -> new AuthenticationFailedException("API key " + result.code()));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("service-account:" + key.org() + ":" + key.serviceAccount()))
                    .addRole(groupFor(key.org(), key.privilege()))
                    .addAttribute(KEY_ID_ATTRIBUTE, key.keyId())
                    .build();
        });
    }

    static String groupFor(String org, String privilege) {
        return "org:" + org + ":" + ("admin".equals(privilege) ? "admin" : "member");
    }
}
