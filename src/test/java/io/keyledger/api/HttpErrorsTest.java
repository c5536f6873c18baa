package io.keyledger.api;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the HTTP layer refuses before any resource runs is JSON too, and slow bodies are cut off. */
@QuarkusTest
class HttpErrorsTest {

    @TestHTTPResource("/")
    URL base;

    private RawHttp.Response send(String request) throws Exception {
        return RawHttp.send("127.0.0.1", base.getPort(), request);
    }

    private static void assertJsonError(RawHttp.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        assertNotNull(response.header("Content-Type"), "no content type on " + status);
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.header("Content-Type"));
        assertTrue(response.body().startsWith("{\"message\":"), response.body());
    }

    @Test
    void bodyDeclaredOverTheLimit_is413Json() throws Exception {
        assertJsonError(send("POST /api/v2/service-accounts/acme HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"), 413);
    }

    @Test
    void overlongUri_is414Json() throws Exception {
        assertJsonError(send("GET /api/v2/service-accounts/" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 414);
    }

    @Test
    void overlargeHeaders_are431Json() throws Exception {
        assertJsonError(send("GET /api/v2/service-accounts/acme HTTP/1.1\r\nHost: localhost\r\nX-Filler: "
                + "b".repeat(30_000) + "\r\nConnection: close\r\n\r\n"), 431);
    }

    @Test
    void badPercentEncoding_is400Json() throws Exception {
        assertJsonError(
                send("GET /api/v2/service-accounts/acme/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                400);
        assertJsonError(send(
                "GET /api/v2/service-accounts/acme/a%ZZb/api-keys HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                400);
    }

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aSlowGet_isNotCutOffByTheBodyReadTimeout() throws Exception {
        // the key lookup waits on a table lock for longer than the 2 s (%test) read timeout: a GET has no body to wait
        // for
        String account = io.keyledger.testing.Fixtures.newOrg();
        String unknown = Fixtures.wellFormedUnknownKey();
        var locked = new java.util.concurrent.CompletableFuture<Void>();
        var release = new java.util.concurrent.CompletableFuture<Void>();
        var holder = pool
                .withTransaction(tx -> tx.query("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE").execute()
                        .invoke(() -> locked.complete(null))
                        .chain(() -> io.smallrye.mutiny.Uni.createFrom().completionStage(release)))
                .subscribeAsCompletionStage();
        locked.get(30, java.util.concurrent.TimeUnit.SECONDS);
        var response = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.listAccounts("127.0.0.5", base.getPort(), account, unknown);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // hold the lock past the read timeout, then let the request finish
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofSeconds(3))
                .atMost(java.time.Duration.ofSeconds(10)).until(() -> true);
        release.complete(null);
        holder.toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(401, response.get(60, java.util.concurrent.TimeUnit.SECONDS).status());
    }

    @Test
    void unknownPath_is404Json() throws Exception {
        assertJsonError(send("GET /nothing/here HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 404);
    }

    @Test
    void bodyThatStopsArriving_is408Json_andTheConnectionCloses() throws Exception {
        // 10 of 100 declared bytes, then silence: %test read timeout is 2 s; the socket waits up to 60 s
        String org = io.keyledger.testing.Fixtures.newOrg();
        byte[] partial = ("POST /api/v2/service-accounts/" + org + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + io.keyledger.testing.Tokens.admin(org) + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":\"x")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response response = RawHttp.send("127.0.0.1", base.getPort(), partial, 60_000);
        assertJsonError(response, 408);
        assertEquals("close", response.header("Connection"));
    }
}
