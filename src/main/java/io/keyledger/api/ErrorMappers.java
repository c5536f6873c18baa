package io.keyledger.api;

import io.keyledger.auth.JwtRefusal;
import io.keyledger.auth.TooManyFailedAttempts;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.store.VersionConflict;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors become responses. Every error is {@code {message, errors?}} JSON;
 * internal messages and stack traces stay in the log.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final String BEARER_CHALLENGE = "Bearer realm=\"keyledger\"";

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> api(ApiException e) {
        if (e.status() == 401) {
            return RestResponse.ResponseBuilder.<ErrorResponse>create(401).entity(e.body())
                    .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE)
                    .build();
        }
        if (e.retryAfterSeconds() > 0) {
            return RestResponse.ResponseBuilder.<ErrorResponse>create(e.status()).entity(e.body())
                    .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                    .build();
        }
        return json(e.status(), e.body());
    }

    /** The domain's refusals, in the domain's words: only the status is the API's. */
    @ServerExceptionMapper
    public RestResponse<ErrorResponse> rejection(Rejection e) {
        if (e.reason() == Rejection.Reason.SCOPES_NOT_A_SUBSET) {
            // a field of the request is wrong: said as every other invalid field is
            return json(400, new ErrorResponse(ApiException.INVALID_BODY, Map.of("scopes", e.clientMessage())));
        }
        int status = switch (e.reason()) {
            case SERVICE_ACCOUNT_NOT_FOUND, API_KEY_NOT_FOUND -> 404;
            case SERVICE_ACCOUNT_ALREADY_EXISTS, KEY_ALREADY_ROTATED, KEY_ALREADY_DISABLED, KEY_NOT_DISABLED -> 409;
            case EXPIRES_AT_IN_PAST, ACTIVE_KEY_LIMIT_REACHED, EXPIRES_AT_EXCEEDS_POLICY, SCOPES_NOT_A_SUBSET -> 400;
        };
        return json(status, ErrorResponse.of(e.clientMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> conflict(VersionConflict e) {
        return json(409, ErrorResponse.of(ErrorMessages.CONCURRENT_CHANGE));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> unauthenticated(UnauthorizedException e) {
        return unauthorized(ErrorMessages.AUTHENTICATION_REQUIRED);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> badCredentials(AuthenticationFailedException e) {
        long wait = TooManyFailedAttempts.retryAfterSeconds(e);
        if (wait > 0) {
            return RestResponse.ResponseBuilder.<ErrorResponse>create(429)
                    .entity(ErrorResponse.of("Too many failed authentications; retry after " + wait + " s"))
                    .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.RETRY_AFTER, wait).build();
        }
        if (io.keyledger.auth.AddressNotAllowed.is(e)) {
            return json(403, ErrorResponse.of(io.keyledger.auth.AddressNotAllowed.MESSAGE));
        }
        String reason = JwtRefusal.reasonOf(e);
        if (reason != null) {
            // RFC 6750 section 3: the reason is a fixed word of ours, never text from the token
            return RestResponse.ResponseBuilder
                    .create(Response.Status.UNAUTHORIZED,
                            new ErrorResponse(ErrorMessages.INVALID_CREDENTIALS, Map.of("token", reason)))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.WWW_AUTHENTICATE,
                            BEARER_CHALLENGE + ", error=\"invalid_token\", error_description=\"" + reason + "\"")
                    .build();
        }
        return unauthorized(ErrorMessages.INVALID_CREDENTIALS);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> missingScope(io.keyledger.auth.MissingScope e) {
        return json(403, ErrorResponse.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> forbidden(ForbiddenException e) {
        return json(403, ErrorResponse.of(ApiException.FORBIDDEN));
    }

    /** Framework errors (no route, wrong method or media type): keep the status, replace the body. */
    @ServerExceptionMapper
    public RestResponse<ErrorResponse> framework(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String message = messageFor(status);
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        if (status == 400) {
            return json(status,
                    new ErrorResponse(ApiException.INVALID_BODY, Map.of("body", "Could not read the request")));
        }
        return json(status, ErrorResponse.of(message));
    }

    /**
     * A dependency (PostgreSQL) is unreachable, going down or starting up: the request did not complete (a write in
     * flight may or may not have committed); the client may retry.
     */
    @ServerExceptionMapper({java.net.ConnectException.class, io.vertx.sqlclient.ClosedConnectionException.class})
    public RestResponse<ErrorResponse> unavailable(Throwable e) {
        LOG.warnf("dependency unavailable: %s", e.getMessage());
        return RestResponse.ResponseBuilder.<ErrorResponse>create(503)
                .entity(ErrorResponse.of("Service temporarily unavailable; retry shortly"))
                .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.RETRY_AFTER, 5).build();
    }

    /** Retry-After of a 503 for an exhausted pool: connections free up within moments once the load passes. */
    static final int POOL_EXHAUSTED_RETRY_AFTER_SECONDS = 2;

    /**
     * Every pooled connection stayed busy past keyledger.database.connection-timeout, or too many requests were
     * already waiting for one (keyledger.database.max-wait-queue-size): nothing was done; the client may retry.
     */
    @ServerExceptionMapper(io.vertx.core.http.ConnectionPoolTooBusyException.class)
    public RestResponse<ErrorResponse> poolExhausted(Throwable e) {
        LOG.warnf("database pool exhausted: %s", e.getMessage());
        return RestResponse.ResponseBuilder.<ErrorResponse>create(503)
                .entity(ErrorResponse.of("Service busy: no database connection was free in time; retry shortly"))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, POOL_EXHAUSTED_RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> unexpected(Throwable e) {
        if (isPoolExhaustion(e)) {
            return poolExhausted(e);
        }
        if (databaseUnavailable(e)) {
            return unavailable(e);
        }
        LOG.error("unexpected failure", e);
        return json(500, ErrorResponse.of("Internal server error"));
    }

    /**
     * PostgreSQL failures that mean "not now" rather than "this request is wrong", which reach us as other types than
     * the two mapped above while the server restarts: a server shutting down or starting up (SQLSTATE 57P01-57P03),
     * refusing connections (class 08, 53300 too many connections), a pooled connection it already closed (the
     * client's "Connection is not active now", which carries no type of its own), or the socket reset under a query
     * (an {@link java.io.IOException}: PostgreSQL is the only I/O a request waits for; JSON errors are not I/O).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.sqlclient.ClosedConnectionException || (t instanceof java.io.IOException
                    && !(t instanceof com.fasterxml.jackson.core.JacksonException))) {
                return true;
            }
            if (t instanceof io.vertx.sqlclient.DatabaseException db && db.getSqlState() != null) {
                String state = db.getSqlState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals("53300")) {
                    return true;
                }
            }
            if (t instanceof io.vertx.core.impl.NoStackTraceThrowable && t.getMessage() != null
                    && t.getMessage().startsWith("Connection is not active now")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool's own refusals: its wait queue is full ({@link io.vertx.core.http.ConnectionPoolTooBusyException}), or
     * no connection came free in time, which has no type of its own, only a message: "Timeout waiting for connection"
     * for a query on the pool, plain "Timeout" (Vert.x's {@code Future.failedFuture("Timeout")} in
     * {@code SqlConnectionPool}) for a connection or a transaction; Future.timeout's own says "Timeout N ms".
     */
    static boolean isPoolExhaustion(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.ConnectionPoolTooBusyException
                    || t instanceof io.vertx.core.VertxException
                            && "Timeout waiting for connection".equals(t.getMessage())
                    || t instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a refusal says when nothing more is known than its status: the one table for the framework's refusals (above)
     * and the router's ({@link io.keyledger.api.http.HttpGuards}).
     */
    public static String messageFor(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: this API produces application/json";
            case 408 -> "Request body not received in time";
            case 413 -> "Request body too large";
            case 414 -> "Request URI too long";
            case 415 -> "Unsupported media type: send application/json";
            case 431 -> "Request headers too large";
            default -> status >= 500 ? "Internal server error" : "Request failed";
        };
    }

    private static RestResponse<ErrorResponse> unauthorized(String message) {
        return RestResponse.ResponseBuilder.create(Response.Status.UNAUTHORIZED, ErrorResponse.of(message))
                .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE).build();
    }

    private static RestResponse<ErrorResponse> json(int status, ErrorResponse body) {
        return RestResponse.ResponseBuilder.<ErrorResponse>create(status).entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
