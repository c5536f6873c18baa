package io.keyledger.api;

import io.keyledger.auth.ApiKeyAuthMechanism;
import io.keyledger.auth.KeyCheck;
import io.keyledger.auth.Verification;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.VerifiedKey;
import io.keyledger.serviceaccount.Scopes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The gateway check, {@code /api/v2/authz} and every path below it, any method, no JWT: nginx
 * {@code auth_request}, Envoy {@code ext_authz} (HTTP, with a path prefix), Traefik
 * {@code forwardAuth} and Caddy {@code forward_auth} call it with the client's request and let it
 * through on a 200. The key comes from {@code Authorization: Bearer}, from Basic (the key as the
 * user name) or from {@code X-API-Key} ({@code keyledger.authz.key-header}); it is checked by
 * {@link KeyCheck}, as every API-key authentication is: the same cache, invalidations, throttle and
 * usage record. A Vert.x route rather than a JAX-RS resource because JAX-RS cannot match "any
 * method" (Envoy forwards the client's own); it is described in the OpenAPI document by
 * {@link io.keyledger.api.openapi.OpenApiRules}. Anyone can present a key on any endpoint, so this reveals nothing new.
 */
@ApplicationScoped
public class GatewayCheckRoute {

    public static final String PATH = "/api/v2/authz";
    public static final String KEY_ID = "X-Keyledger-Key-Id";
    public static final String ORG = "X-Keyledger-Org";
    public static final String SERVICE_ACCOUNT = "X-Keyledger-Service-Account";
    public static final String PRIVILEGE = "X-Keyledger-Privilege";
    /** The key's scopes, space-separated; sent only for a key that has scopes of its own. */
    public static final String SCOPES = "X-Keyledger-Scopes";
    /** The scope the gateway's route requires (or the {@code scope} query parameter). */
    public static final String REQUIRED_SCOPE = "X-Keyledger-Required-Scope";

    static final String FORWARDED_METHOD = "X-Forwarded-Method";
    static final String FORWARDED_URI = "X-Forwarded-Uri";
    static final String ORIGINAL_METHOD = "X-Original-Method";
    static final String ORIGINAL_URI = "X-Original-URI";
    /** errors.code of a request that presented no key at all (the others are the verify endpoint's codes). */
    public static final String MISSING = "MISSING";

    private static final Logger LOG = Logger.getLogger(GatewayCheckRoute.class);
    private static final String CHALLENGE = "Bearer realm=\"keyledger\"";

    @Inject
    KeyCheck keyCheck;

    @Inject
    KeyledgerConfig config;

    void register(@Observes Router router) {
        router.route(PATH).handler(this::check);
        router.route(PATH + "/*").handler(this::check);
    }

    private void check(RoutingContext context) {
        String requestId = RequestIds.idFor(context.request().getHeader(RequestIds.HEADER));
        context.put(RequestIds.MDC_KEY, requestId);
        context.response().putHeader(RequestIds.HEADER, requestId);
        String key = presentedKey(context);
        if (key == null) {
            deny(context, MISSING,
                    "API key required: send Authorization: Bearer <key>, Basic with the key as the user name, or "
                            + config.authz().keyHeader());
            return;
        }
        OriginalRequest original = originalRequest(context);
        keyCheck.check(key, ApiKeyAuthMechanism.clientAddress(context), original.method(), original.uri()).subscribe()
                .with(result -> {
                    if (result.throttled()) {
                        context.response().putHeader(HttpHeaders.RETRY_AFTER,
                                Long.toString(result.retryAfterSeconds()));
                        respond(context, 429, message(
                                "Too many failed authentications; retry after " + result.retryAfterSeconds() + " s"));
                    } else if (result.addressRefused()) {
                        respond(context, 403,
                                new JsonObject().put("message", io.keyledger.auth.AddressNotAllowed.MESSAGE)
                                        .put("errors", new JsonObject(Map.of("code", "ADDRESS_NOT_ALLOWED"))));
                    } else if (result.verification().valid()) {
                        VerifiedKey verified = result.verification().key().orElseThrow();
                        String required = requiredScope(context);
                        if (required != null && !Scopes.allows(verified.scopes(), required)) {
                            refuseScope(context, required);
                        } else {
                            allow(context, verified);
                        }
                    } else {
                        deny(context, result.verification().code().name(), reason(result.verification().code()));
                    }
                }, failure -> {
                    if (isOutage(failure) || ErrorMappers.isPoolExhaustion(failure)) {
                        LOG.warnf("gateway check: database unavailable: %s", failure.getMessage());
                        context.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
                        respond(context, 503, message("Service temporarily unavailable; retry shortly"));
                    } else {
                        LOG.error("gateway check failed", failure);
                        respond(context, 500, message("Internal server error"));
                    }
                });
    }

    /**
     * The presented key: whichever of Authorization (Bearer, or Basic's user name) and the key header looks like one
     * of ours; else whatever was presented, which the check then refuses as malformed (it counts as junk).
     */
    private String presentedKey(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        String ours = ApiKeyAuthMechanism.presentedKey(authorization, keyCheck);
        if (ours != null) {
            return ours;
        }
        String header = context.request().getHeader(config.authz().keyHeader());
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        if (authorization != null && !authorization.isBlank()) {
            int space = authorization.indexOf(' ');
            String presented = space < 0 ? authorization : authorization.substring(space + 1).trim();
            return presented.isEmpty() ? null : presented;
        }
        return null;
    }

    /**
     * The client's request that the gateway asks about: Traefik and Caddy send X-Forwarded-Method and X-Forwarded-Uri,
     * ingress-nginx's convention is X-Original-Method and X-Original-URI, and Envoy (HTTP ext_authz with a path prefix)
     * sends the client's own method with its path after ours. The shipped configurations set the headers their gateway
     * uses, so a client cannot pick them.
     */
    record OriginalRequest(String method, String uri) {
    }

    static OriginalRequest originalRequest(RoutingContext context) {
        var request = context.request();
        String forwardedUri = request.getHeader(FORWARDED_URI);
        if (forwardedUri != null) {
            return new OriginalRequest(firstNonNull(request.getHeader(FORWARDED_METHOD), request.method().name()),
                    forwardedUri);
        }
        String originalUri = request.getHeader(ORIGINAL_URI);
        if (originalUri != null) {
            return new OriginalRequest(firstNonNull(request.getHeader(ORIGINAL_METHOD), request.method().name()),
                    originalUri);
        }
        String method = firstNonNull(request.getHeader(FORWARDED_METHOD),
                firstNonNull(request.getHeader(ORIGINAL_METHOD), request.method().name()));
        String path = request.path();
        // Envoy: /api/v2/authz/orders/7 was the client's /orders/7; the bare check path says nothing of the URI
        String suffix = path != null && path.length() > PATH.length() ? path.substring(PATH.length()) : null;
        String query = request.query();
        return new OriginalRequest(method, suffix == null || query == null ? suffix : suffix + "?" + query);
    }

    private static String firstNonNull(String first, String second) {
        return first != null && !first.isBlank() ? first : second;
    }

    /** The scope the route requires: {@code ?scope=} on the check's URL, else the gateway's header; null for none. */
    private static String requiredScope(RoutingContext context) {
        String query = context.request().getParam("scope");
        if (query != null && !query.isBlank()) {
            return query.trim();
        }
        String header = context.request().getHeader(REQUIRED_SCOPE);
        return header == null || header.isBlank() ? null : header.trim();
    }

    /** RFC 6750 section 3.1: a valid key without the scope the route requires. */
    private static void refuseScope(RoutingContext context, String scope) {
        String quoted = scope.replace("\\", "").replace("\"", "");
        context.response().putHeader("WWW-Authenticate",
                CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + quoted + "\"");
        respond(context, 403, new JsonObject().put("message", "API key lacks scope " + scope).put("errors",
                new JsonObject(Map.of("code", "INSUFFICIENT_SCOPE"))));
    }

    private void allow(RoutingContext context, VerifiedKey key) {
        HttpServerResponse response = context.response();
        response.putHeader(KEY_ID, key.keyId()).putHeader(ORG, key.org())
                .putHeader(SERVICE_ACCOUNT, key.serviceAccount()).putHeader(PRIVILEGE, key.privilege());
        if (key.scopes() != null) {
            response.putHeader(SCOPES, String.join(" ", key.scopes()));
        }
        Duration maxAge = config.authz().cacheMaxAge().orElse(Duration.ZERO);
        // a shared micro-cache in the gateway may keep an allowed answer this long: that much is added to the
        // revocation
        // bound (docs/gateways.md); the answer depends on the presented key, so caches must key on it
        response.putHeader(HttpHeaders.CACHE_CONTROL,
                maxAge.isZero() ? "no-store" : "max-age=" + Math.max(1, maxAge.toSeconds()));
        if (!maxAge.isZero()) {
            response.putHeader(HttpHeaders.VARY,
                    "Authorization, " + config.authz().keyHeader() + ", " + REQUIRED_SCOPE);
        }
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
        }
    }

    private static void deny(RoutingContext context, String code, String message) {
        context.response().putHeader("WWW-Authenticate",
                MISSING.equals(code) ? CHALLENGE : CHALLENGE + ", error=\"invalid_token\"");
        respond(context, 401,
                new JsonObject().put("message", message).put("errors", new JsonObject(Map.of("code", code))));
    }

    static String reason(Verification.Code code) {
        return switch (code) {
            case VALID -> "API key valid";
            case NOT_FOUND -> "API key not found";
            case EXPIRED -> "API key expired";
            case REVOKED -> "API key revoked";
            case INVALID_FORMAT -> "API key malformed";
            case DISABLED -> "API key disabled";
        };
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof java.net.ConnectException
                || failure instanceof io.vertx.sqlclient.ClosedConnectionException
                || failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("08");
    }

    private static void respond(RoutingContext context, int status, JsonObject body) {
        HttpServerResponse response = context.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
        }
    }

    private static JsonObject message(String message) {
        return new JsonObject().put("message", message);
    }
}
