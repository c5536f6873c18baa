package io.keyledger.auth;

import io.keyledger.serviceaccount.Scopes;
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

    /**
     * The caller, when it may manage the org: an admin, and for an API key with scopes of its own, one that lists
     * {@value Scopes#MANAGE} (the account's privilege still caps the key: a member's key cannot manage whatever it lists).
     */
    public Caller requireManage(String org) {
        Caller caller = allowedIf(current(), Caller::canManage, org);
        requireScope(Scopes.MANAGE);
        return caller;
    }

    /** The caller, when it may read the org; an API key with scopes of its own must list {@value Scopes#READ}. */
    public Caller requireRead(String org) {
        Caller caller = allowedIf(current(), Caller::canRead, org);
        requireScope(Scopes.READ);
        return caller;
    }

    /**
     * The caller, when it holds {@code role}, a group that is not about one org (the verifier, the scanner, the
     * auditor): the same imperative check, first in the method, as the org checks above.
     */
    public Caller requireRole(String role) {
        return allowedIf(current(), (caller, r) -> identity.getRoles().contains(r), role);
    }

    /** {@code caller} when {@code allowed} holds for it and {@code what} (an org, a role); else a 403. */
    private static Caller allowedIf(Caller caller, java.util.function.BiPredicate<Caller, String> allowed,
            String what) {
        if (!allowed.test(caller, what)) {
            throw new ForbiddenException();
        }
        return caller;
    }

    private void requireScope(String scope) {
        if (!Scopes.allows(Identities.scopesOf(identity), scope)) {
            throw new MissingScope(scope);
        }
    }
}
