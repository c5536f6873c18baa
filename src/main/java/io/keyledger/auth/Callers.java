package io.keyledger.auth;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The permission check every org-scoped endpoint makes first, before it looks anything up,
 * so a caller without rights in an org learns nothing about what exists there.
 */
@RequestScoped
public class Callers {

    @Inject
    SecurityIdentity identity;

    public Caller current() {
        return new Caller(Identities.actorOf(identity), identity.getRoles());
    }

    public Caller requireManage(String org) {
        Caller caller = current();
        if (!caller.canManage(org)) {
            throw new ForbiddenException();
        }
        return caller;
    }

    public Caller requireRead(String org) {
        Caller caller = current();
        if (!caller.canRead(org)) {
            throw new ForbiddenException();
        }
        return caller;
    }
}
