package io.keyledger.api;

import io.keyledger.application.ProjectionRebuilds;
import io.keyledger.auth.Caller;
import io.keyledger.auth.Operators;
import io.keyledger.projection.ReadModelRebuild;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code POST /keyledger/projections/rebuild} on the management interface (port 9000, which no
 * Service exposes; not part of the public API or its OpenAPI document): rebuilds the read models
 * from the log while the service keeps answering ({@link ReadModelRebuild}) and answers, when it
 * is done, with what it did. A second request while one runs, on any replica, gets a 409. It needs a JWT with group
 * {@code keyledger:operator} ({@link Operators}: 401 without a valid one, 403 without the group), and each rebuild is
 * recorded as a {@code ProjectionsRebuilt} event naming the operator.
 */
@ApplicationScoped
public class ProjectionRebuildRoute {

    public static final String PATH = "/keyledger/projections/rebuild";
    private static final Logger LOG = Logger.getLogger(ProjectionRebuildRoute.class);

    @Inject
    ProjectionRebuilds rebuilds;

    @Inject
    Operators operators;

    void register(@Observes ManagementInterface management) {
        management.router().route(HttpMethod.POST, PATH).handler(this::rebuild);
        management.router().route(PATH).handler(context -> {
            context.response().putHeader("Allow", "POST");
            respond(context, 405, message("Use POST to rebuild the projections"));
        });
    }

    private void rebuild(RoutingContext context) {
        String requestId = RequestIds.idFor(context.request().getHeader(RequestIds.HEADER));
        context.put(RequestIds.MDC_KEY, requestId);
        context.response().putHeader(RequestIds.HEADER, requestId);
        operators.caller(context).subscribe().with(caller -> {
            if (caller.isEmpty()) {
                unauthorized(context, ErrorMessages.AUTHENTICATION_REQUIRED);
            } else if (!Operators.isOperator(caller.get())) {
                respond(context, 403, message(ApiException.FORBIDDEN));
            } else {
                rebuildAs(caller.get(), context);
            }
        }, failure -> {
            LOG.debugf("projection rebuild refused: %s", failure.getMessage());
            unauthorized(context, ErrorMessages.INVALID_CREDENTIALS);
        });
    }

    private void rebuildAs(Caller operator, RoutingContext context) {
        LOG.infof("projection rebuild started by %s", operator.subject());
        rebuilds.rebuild(RequestIds.metadata(operator, context)).subscribe().with(report -> respond(context, 200,
                new JsonObject().put("events", report.events()).put("first_pass_events", report.firstPassEvents())
                        .put("catch_up_events", report.catchUpEvents()).put("switch_events", report.switchEvents())
                        .put("batches", report.batches()).put("seconds", report.took().toMillis() / 1000.0)
                        .put("events_per_second", Math.round(report.eventsPerSecond()))),
                failure -> {
                    if (failure instanceof ProjectionRebuilds.NotRecorded notRecorded) {
                        LOG.errorf(notRecorded.getCause(),
                                "projection rebuild by %s finished (%d events) but was not recorded",
                                operator.subject(), notRecorded.report.events());
                        respond(context, 500,
                                message("The projections were rebuilt, but recording the rebuild failed"));
                    } else if (failure instanceof ReadModelRebuild.AlreadyRunning) {
                        respond(context, 409, message("A projection rebuild is already running"));
                    } else if (isOutage(failure) || ErrorMappers.isPoolExhaustion(failure)) {
                        LOG.warnf("projection rebuild: database unavailable: %s", failure.getMessage());
                        context.response().putHeader("Retry-After", "5");
                        respond(context, 503,
                                message("Database unavailable; the read models were left as they were. Retry shortly"));
                    } else {
                        LOG.errorf(failure, "projection rebuild failed; the read models were left as they were");
                        respond(context, 500,
                                message("The projection rebuild failed; the read models were left as they were"));
                    }
                });
    }

    private static boolean isOutage(Throwable failure) {
        return failure instanceof java.net.ConnectException
                || failure instanceof io.vertx.sqlclient.ClosedConnectionException
                || failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("08");
    }

    private static void unauthorized(RoutingContext context, String message) {
        context.response().putHeader("WWW-Authenticate", "Bearer realm=\"keyledger\"");
        respond(context, 401, message(message));
    }

    private static void respond(RoutingContext context, int status, JsonObject body) {
        if (!context.response().ended() && !context.response().closed()) {
            context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
        }
    }

    private static JsonObject message(String message) {
        return new JsonObject().put("message", message);
    }
}
