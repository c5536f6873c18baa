package io.keyledger.api;

import io.keyledger.auth.Caller;
import io.keyledger.store.EventMetadata;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, a new one
 * otherwise. It goes into the MDC (so into every log line of the request), into each event's
 * metadata, and back to the caller in the response header. The request's W3C trace context
 * ({@link TraceParent}) is kept beside it for the event metadata, and its trace id is in the MDC as
 * {@code traceId} (set by OpenTelemetry when its SDK is on, here from the caller's header otherwise).
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext context, HttpServerRequest request, RoutingContext routing) {
        String id = idFor(request.getHeader(HEADER));
        context.setProperty(MDC_KEY, id);
        routing.put(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        String traceparent = TraceParent.of(request.getHeader(TraceParent.HEADER));
        if (traceparent != null) {
            routing.put(TraceParent.HEADER, traceparent);
            if (MDC.get(TraceParent.MDC_TRACE_ID) == null) {
                MDC.put(TraceParent.MDC_TRACE_ID, TraceParent.traceId(traceparent));
            }
        }
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }

    /** The caller's id when it is sane, a new one otherwise. */
    static String idFor(String given) {
        return given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /** The id {@link #assign} gave the request; resources get the RoutingContext from {@code CurrentVertxRequest}. */
    public static String current(RoutingContext routing) {
        Object id = routing == null ? null : routing.get(MDC_KEY);
        return id == null ? UUID.randomUUID().toString() : id.toString();
    }

    /** The metadata stored beside the events a request appends: the caller, the request id and its traceparent. */
    public static EventMetadata metadata(Caller caller, RoutingContext routing) {
        Object traceparent = routing == null ? null : routing.get(TraceParent.HEADER);
        return new EventMetadata(caller.subject(), caller.actor().toMetadata(), current(routing),
                traceparent == null ? null : traceparent.toString());
    }
}
