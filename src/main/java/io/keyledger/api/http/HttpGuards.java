package io.keyledger.api.http;

import io.keyledger.api.ErrorMappers;
import io.keyledger.config.KeyledgerConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTP-level guards that run before any resource, so even what the framework itself refuses
 * gets the one error shape ({@code {"message": ...}} JSON) and slow clients are cut off:
 * <ul>
 *   <li>a URI or header block over keyledger's limits: 414 or 431. Netty's own limits
 *   ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set higher, because what
 *   Netty refuses is answered with an empty body before any hook runs;</li>
 *   <li>a body declared larger than {@code quarkus.http.limits.max-body-size}: 413, connection closed;</li>
 *   <li>a body still arriving after {@code keyledger.http.read-timeout}: 408, connection closed;</li>
 *   <li>statuses the router produces without a body (a bad path encoding, an oversized chunked body): JSON.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpGuards {

    /** Before Quarkus's own body-size check (route order -2), which answers without a body. */
    static final int PRIORITY = 100;

    @Inject
    KeyledgerConfig config;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    void errorBodies(@Observes Router router) {
        for (int status : new int[]{400, 404, 405, 408, 413, 414, 415, 431, 500}) {
            // the status the router is failing with; the context does not always carry it
            router.errorHandler(status, context -> {
                if (!context.response().ended() && !context.response().headWritten()) {
                    respond(context.response(), status, ErrorMappers.messageFor(status), false);
                }
            });
        }
    }

    private void guard(RoutingContext context) {
        if (!validUri(context.request().uri())) {
            respond(context.response(), 400, "Bad request: the URI is not valid", true);
            return;
        }
        if (context.request().uri().length() > config.http().maxUriLength()) {
            respond(context.response(), 414, ErrorMappers.messageFor(414), true);
            return;
        }
        long headerBytes = 0;
        for (var header : context.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > config.http().maxHeaderBytes().asLongValue()) {
            respond(context.response(), 431, ErrorMappers.messageFor(431), true);
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                respond(context.response(), 400, "Invalid Content-Length", true);
                return;
            }
            if (declared > maxBodySize.asLongValue()) {
                respond(context.response(), 413, ErrorMappers.messageFor(413), true);
                return;
            }
        }
        // only a request that declares a body can be slow to send it (a GET stays "not ended" while paused)
        boolean hasBody = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (length != null && !length.trim().equals("0"));
        if (hasBody && !context.request().isEnded()) {
            long timer = vertx.setTimer(config.http().readTimeout().toMillis(), id -> {
                if (!context.request().isEnded() && !context.response().ended()) {
                    if (!context.response().headWritten()) {
                        respond(context.response(), 408, ErrorMappers.messageFor(408), true);
                    } else {
                        context.request().connection().close();
                    }
                }
            });
            context.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        context.next();
    }

    /** The check Quarkus's root handler makes (it is turned off there by KeyledgerMain so that this one answers JSON). */
    static boolean validUri(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            new java.net.URI(uri);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void respond(HttpServerResponse response, int status, String message, boolean close) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        // close once written, without taking the response's end handler from anyone else
        response.end(new JsonObject().put("message", message).encode()).onComplete(done -> {
            if (close) {
                response.close();
            }
        });
    }
}
