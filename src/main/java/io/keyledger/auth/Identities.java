package io.keyledger.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Set;

/**
 * The small identities keyledger authenticates: a JWT user or an API key. They carry only what
 * permission checks and the audit trail need, never a request, a response or a token.
 */
public final class Identities {

    static final String ACTOR_ATTRIBUTE = "keyledger.actor";
    /** An API key's scopes (a List of String); absent for JWT users and for keys with no scopes of their own. */
    static final String SCOPES_ATTRIBUTE = "keyledger.scopes";

    private Identities() {
    }

    static SecurityIdentity of(Actor actor, String principalName, Set<String> groups) {
        return of(actor, principalName, groups, null);
    }

    static SecurityIdentity of(Actor actor, String principalName, Set<String> groups, java.util.List<String> scopes) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principalName)).addRoles(groups)
                .addAttribute(ACTOR_ATTRIBUTE, actor);
        if (scopes != null) {
            identity.addAttribute(SCOPES_ATTRIBUTE, scopes);
        }
        return identity.build();
    }

    /** The scopes an API key was issued with, or null when it may do everything its account may (and for users). */
    @SuppressWarnings("unchecked")
    static java.util.List<String> scopesOf(SecurityIdentity identity) {
        Object scopes = identity.getAttribute(SCOPES_ATTRIBUTE);
        return scopes instanceof java.util.List<?> list ? (java.util.List<String>) list : null;
    }

    /** Who the identity is, typed; a JWT and an API key can never look the same. */
    public static Actor actorOf(SecurityIdentity identity) {
        Object actor = identity.getAttribute(ACTOR_ATTRIBUTE);
        if (actor instanceof Actor typed) {
            return typed;
        }
        return new Actor.User(identity.getPrincipal().getName());
    }
}
