package io.keyledger.auth;

import io.keyledger.api.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The permission check every org-scoped endpoint makes first, before it looks anything up,
 * so a caller without rights in an org learns nothing about what exists there.
 */
@RequestScoped
public class Callers {

    @Inject
    SecurityIdentity identity;

    public Caller current() {
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return new Caller(subject, identity.getRoles());
    }

    public Caller requireManage(String org) {
        Caller caller = current();
        if (!caller.canManage(org)) {
            throw ApiException.forbidden();
        }
        return caller;
    }

    public Caller requireRead(String org) {
        Caller caller = current();
        if (!caller.canRead(org)) {
            throw ApiException.forbidden();
        }
        return caller;
    }
}
