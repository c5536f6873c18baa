package io.keyledger.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who calls an operation on the management port. Its routes are plain Vert.x routes, outside the REST layer's
 * {@code @RolesAllowed}, so they authenticate here: the same bearer JWT check as the API ({@link CachedJwtAuthMechanism}:
 * signature, issuer, audience, age, expiry), then the route checks the group. Only JWTs count: an operator is a
 * person or a system with an identity, never a service account's API key.
 */
@ApplicationScoped
public class Operators {

    /** The JWT group that may run operations on the service (the projection rebuild). */
    public static final String OPERATOR_ROLE = "keyledger:operator";

    @Inject
    CachedJwtAuthMechanism jwt;

    @Inject
    IdentityProviderManager identityProviderManager;

    /**
     * The caller, or empty when the request carries no bearer token; fails when the token is not a valid JWT (an
     * API key, a forged, expired or foreign token).
     */
    public Uni<Optional<Caller>> caller(RoutingContext context) {
        return jwt.authenticate(context, identityProviderManager)
                .map(identity -> identity == null
                        ? Optional.<Caller>empty()
                        : Optional.of(new Caller(Identities.actorOf(identity), identity.getRoles())));
    }

    public static boolean isOperator(Caller caller) {
        return caller.groups().contains(OPERATOR_ROLE);
    }
}
