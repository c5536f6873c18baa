package io.keyledger.auth;

import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Retires cached verifications on this replica when a command here changed a key or an account.
 * Observed synchronously, after the commit and before the request answers (other replicas learn
 * it from {@link KeyEventListener}).
 */
@ApplicationScoped
public class CacheEviction {

    @Inject
    ApiKeyVerifier verifier;

    void onChange(@Observes ServiceAccountEvent event) {
        if (event instanceof KeyRevoked e) {
            verifier.invalidate(e.keyId());
        } else if (event instanceof KeyRotated e) {
            verifier.invalidate(e.keyId());
        } else if (event instanceof ServiceAccountUpdated || event instanceof ServiceAccountDeleted) {
            verifier.invalidateAccount(event.org(), event.serviceAccount());
        }
    }
}
