package io.keyledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RawHttp;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What one replica holds is bounded, and past a bound a client gets an answer, not a hang: a connection beyond
 * quarkus.http.limits.max-connections is closed at once; a request that finds every pooled database connection busy
 * past keyledger.database.connection-timeout, or the wait queue full, gets a JSON 503 with Retry-After. The bounds are
 * small here so a test reaches them for real.
 */
@QuarkusTest
@TestProfile(BoundedResourcesTest.SmallBounds.class)
class BoundedResourcesTest {

    static final int MAX_CONNECTIONS = 12;
    static final int POOL_SIZE = 4;
    static final int WAIT_QUEUE = 6;

    public static class SmallBounds extends ConfigOverrides {
        public SmallBounds() {
            super("quarkus.http.limits.max-connections", String.valueOf(MAX_CONNECTIONS),
                    "quarkus.datasource.reactive.max-size", String.valueOf(POOL_SIZE),
                    "keyledger.database.max-wait-queue-size", String.valueOf(WAIT_QUEUE),
                    "keyledger.database.connection-timeout", "2s");
        }
    }

    @Inject
    Pool pool;

    private static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n";
    }

    private static void assertPoolExhausted(RawHttp.Response response) {
        assertEquals(503, response.status(), response.toString());
        assertEquals("2", response.header("Retry-After"), response.toString());
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.toString());
        assertEquals("Service busy: no database connection was free in time; retry shortly",
                new JsonObject(response.body()).getString("message"));
    }

    @Test
    void aRequestFindingThePoolExhausted_getsAJson503WithRetryAfter_andTheServiceRecoversOnceItFrees()
            throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        String token = Tokens.admin(org);
        String account = "/api/v2/service-accounts/" + org + "/svc";
        int port = RestAssured.port;
        assertEquals(200, RawHttp.send("127.0.0.1", port, get(account, token)).status());
        // a key never used yet: its authentication needs the database
        String apiKey = io.restassured.RestAssured.given().auth().oauth2(token).contentType("application/json")
                .body("{\"description\":\"k\"}").post(account + "/api-keys").then().statusCode(201).extract()
                .path("key");

        List<SqlConnection> held = new ArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        try {
            // hold every connection the pool will give (the relay may hold one of its own): the bounded wait ends the
            // loop
            while (held.size() <= POOL_SIZE) {
                try {
                    held.add(pool.getConnection().await().atMost(Duration.ofSeconds(60)));
                } catch (RuntimeException timedOut) {
                    break; // the pool's wait for a connection ended: every connection it will give is held
                }
            }
            assertFalse(held.isEmpty(), "the test took no connection");
            assertTrue(held.size() <= POOL_SIZE, "the pool gave more than its size: " + held.size());

            // a JWT needs no database, so the request reaches the resource and waits there for a connection
            assertPoolExhausted(RawHttp.send("127.0.0.1", port, get(account, token)));
            // an API key's authentication waits for one itself
            assertPoolExhausted(RawHttp.send("127.0.0.1", port, get(account, apiKey)));

            // the wait queue full: the next request is refused without waiting (or, if the waiters timed out
            // meanwhile, after the wait); either way the same answer
            for (int i = 0; i < WAIT_QUEUE; i++) {
                waiters.add(pool.getConnection().onItem().transformToUni(SqlConnection::close).onFailure()
                        .recoverWithNull().subscribeAsCompletionStage());
            }
            assertPoolExhausted(RawHttp.send("127.0.0.1", port, get(account, token)));
        } finally {
            held.forEach(SqlConnection::closeAndForget);
        }
        CompletableFuture.allOf(waiters.toArray(new CompletableFuture[0])).get(60,
                java.util.concurrent.TimeUnit.SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertEquals(200, RawHttp.send("127.0.0.1", port, get(account, token)).status()));
    }

    @Test
    void aConnectionBeyondTheLimit_isClosedAtOnce_andOneFreedLetsTheNextIn() throws Exception {
        int port = RestAssured.port;
        List<Socket> open = new ArrayList<>();
        int answered = 0;
        boolean refused = false;
        try {
            // other connections of the suite (rest-assured's) may count too, so the refusal may come earlier, never
            // later
            for (int i = 0; i < MAX_CONNECTIONS + 10 && !refused; i++) {
                Socket socket = new Socket();
                open.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                if (answersOn(socket)) {
                    answered++;
                } else {
                    refused = true;
                }
            }
            assertTrue(refused,
                    "no connection was refused after " + answered + " held open (limit " + MAX_CONNECTIONS + ")");
            assertTrue(answered <= MAX_CONNECTIONS,
                    answered + " connections held open, over the limit " + MAX_CONNECTIONS);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                return answersOn(socket);
            }
        });
    }

    /** Sends a keep-alive request on the socket and reads its answer, leaving the connection open; false if closed. */
    private static boolean answersOn(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v2/no-such-path HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return RawHttp.read(in).status() > 0;
        } catch (IOException closed) {
            return false;
        }
    }
}
