package io.keyledger.console;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Serves the console's own routes and headers. Its files are static resources of the jar
 * ({@code META-INF/resources/console/}); this adds the security headers to every {@code /console} response, answers
 * {@code GET /console/config.json} (how to sign in) and sends {@code /console} to {@code /console/}. Nothing here
 * needs a credential: the console signs in against the API itself.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String ROOT = "/console";
    static final String CONFIG = ROOT + "/config.json";
    /** Before the static files are served, after keyledger's own HTTP guards. */
    private static final int PRIORITY = 50;

    @Inject
    ConsoleConfig config;

    private Map<String, String> headers;

    void register(@Observes Filters filters) {
        headers = ConsoleHeaders.of(config.oidc());
        filters.register(this::guard, PRIORITY);
    }

    void routes(@Observes Router router) {
        // a Vert.x route for /console matches /console/ too: only the bare path moves
        router.get(ROOT).handler(context -> {
            if (context.request().path().equals(ROOT)) {
                context.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, ROOT + "/").end();
            } else {
                context.next();
            }
        });
        router.get(CONFIG).handler(this::signInConfig);
    }

    private void guard(RoutingContext context) {
        String path = context.normalizedPath();
        if (!path.equals(ROOT) && !path.startsWith(ROOT + "/")) {
            context.next();
            return;
        }
        if (!config.enabled()) {
            context.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("message", "Not found").encode());
            return;
        }
        headers.forEach(context.response()::putHeader);
        context.next();
    }

    /** What the sign-in page offers: OIDC when both its settings are there, the paste sign-in always. */
    private void signInConfig(RoutingContext context) {
        JsonObject body = new JsonObject();
        var oidc = config.oidc();
        if (oidc.discoveryUrl().isPresent() && oidc.clientId().isPresent()) {
            body.put("oidc", new JsonObject().put("discovery_url", oidc.discoveryUrl().get()).put("client_id",
                    oidc.clientId().get()));
        } else {
            body.putNull("oidc");
        }
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
    }
}
