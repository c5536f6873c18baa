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

    private Identities() {
    }

    static SecurityIdentity of(Actor actor, String principalName, Set<String> groups) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principalName))
                .addRoles(groups)
                .addAttribute(ACTOR_ATTRIBUTE, actor)
                .build();
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
