package io.keyledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL's restart looks like to a request (seen in ReplicasIT, issue 14): besides a refused connection and
 * a connection closed mid-query, a server that is shutting down or starting up answers with a FATAL error, a
 * pooled connection it closed fails with the client's untyped "Connection is not active now", and a socket reset
 * under a query surfaces as a plain I/O exception. Each is a JSON 503
 * with Retry-After; an error in the request itself stays a 500.
 */
class DatabaseUnavailableTest {

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void serverStartingUp_isA503WithRetryAfter() {
        assertUnavailable(new PgException("the database system is starting up", "FATAL", "57P03", null));
    }

    @Test
    void serverShuttingDown_isA503WithRetryAfter() {
        assertUnavailable(
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null));
    }

    @Test
    void connectionFailureOrTooManyConnections_isA503WithRetryAfter() {
        assertUnavailable(new PgException("connection failure", "FATAL", "08006", null));
        assertUnavailable(new PgException("sorry, too many clients already", "FATAL", "53300", null));
    }

    @Test
    void aPooledConnectionTheServerClosed_isA503WithRetryAfter() {
        assertUnavailable(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"));
    }

    @Test
    void theSocketResetUnderAQuery_isA503WithRetryAfter() {
        assertUnavailable(new java.net.SocketException("Connection reset"));
        assertUnavailable(new java.io.IOException("Connection reset by peer"));
    }

    @Test
    void anUnavailableDatabaseWrappedInAnotherException_isA503() {
        assertUnavailable(new CompletionException(new PgException("starting up", "FATAL", "57P03", null)));
    }

    @Test
    void aFailureOfTheRequestItself_staysA500() {
        assertFalse(ErrorMappers.databaseUnavailable(new PgException("duplicate key value", "ERROR", "23505", null)));
        assertFalse(ErrorMappers.databaseUnavailable(new NoStackTraceThrowable("something else")));
        assertFalse(ErrorMappers.databaseUnavailable(new IllegalStateException("bug")));
        assertFalse(
                ErrorMappers.databaseUnavailable(new com.fasterxml.jackson.core.JsonParseException(null, "bad JSON")));
        RestResponse<ErrorResponse> response = mappers
                .unexpected(new PgException("syntax error", "ERROR", "42601", null));
        assertEquals(500, response.getStatus());
        assertEquals("Internal server error", response.getEntity().message());
    }

    private void assertUnavailable(Throwable failure) {
        assertTrue(ErrorMappers.databaseUnavailable(failure), failure.toString());
        RestResponse<ErrorResponse> response = mappers.unexpected(failure);
        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeaderString("Retry-After"));
        assertEquals("application/json", response.getMediaType().toString());
        assertEquals("Service temporarily unavailable; retry shortly", response.getEntity().message());
    }
}
