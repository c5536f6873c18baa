package io.keyledger.gateways;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.keyledger.testing.Api;
import io.keyledger.testing.OneAccountTest;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped nginx and Caddy configurations (deploy/gateways), run by the real binaries in front of an echo
 * upstream, against the real service: identity headers reach the upstream, forged ones never do, a revoked key is
 * refused as soon as DELETE answered, unknown and expired keys get 401, a throttled client 429 with Retry-After, and
 * the use reaches last_used_at. keyledger trusts X-Forwarded-For from 127.0.0.1 here, as docs/gateways.md says to
 * trust a gateway. Skipped without the binaries, unless KEYLEDGER_REQUIRE_GATEWAYS=true (CI).
 */
@QuarkusTest
@TestProfile(RealGatewaysTest.BehindAGateway.class)
class RealGatewaysTest extends OneAccountTest {

    public static class BehindAGateway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded",
                    "true", "quarkus.http.proxy.allow-forwarded", "false", "quarkus.http.proxy.trusted-proxies",
                    "127.0.0.1");
        }
    }

    static final List<String> IDENTITY = List.of("x-keyledger-key-id", "x-keyledger-org", "x-keyledger-service-account",
            "x-keyledger-privilege");

    static HttpServer echo;

    @TestHTTPResource("/")
    URL keyledger;

    RealGatewaysTest() {
        super("svc");
    }

    @BeforeAll
    static void startEcho() throws Exception {
        echo = Gateways.echo();
    }

    @AfterAll
    static void stopEcho() {
        echo.stop(0);
    }

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    private Gateways.Running nginx() throws Exception {
        return Gateways.nginx(keyledger.getPort(), echo.getAddress().getPort());
    }

    private Gateways.Running caddy() throws Exception {
        return Gateways.caddy(keyledger.getPort(), echo.getAddress().getPort());
    }

    private static RequestSpecification through(Gateways.Running gateway) {
        return given().baseUri("http://127.0.0.1").port(gateway.port());
    }

    /** A key of account svc created with this body; answers its value. */
    private String issuedKey(String body) {
        return postKey(body).statusCode(201).extract().path("key");
    }

    /** The four headers, forged, and one more of ours that nothing sets. */
    private static RequestSpecification forging(RequestSpecification request) {
        return request.header("X-Keyledger-Key-Id", "forged-id").header("X-Keyledger-Org", "forged-org")
                .header("X-Keyledger-Service-Account", "forged-sa").header("X-Keyledger-Privilege", "admin");
    }

    /** The gateways whose shipped configurations the parameterized tests run, each started for one test. */
    enum Shipped {
        NGINX, CADDY
    }

    private Gateways.Running start(Shipped shipped) throws Exception {
        return shipped == Shipped.NGINX ? nginx() : caddy();
    }

    @ParameterizedTest
    @EnumSource(Shipped.class)
    void passesAValidKeyWithItsIdentity_andNeverAForgedOne(Shipped shipped) throws Exception {
        try (Gateways.Running gateway = start(shipped)) {
            Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
            for (RequestSpecification request : List.of(through(gateway).auth().oauth2(key.value()),
                    through(gateway).header("X-API-Key", key.value()),
                    through(gateway).auth().preemptive().basic(key.value(), ""))) {
                Response response = forging(request).get("/orders/42?x=1");
                assertEquals(200, response.statusCode(), gateway.log());
                String echoed = response.asString();
                assertTrue(echoed.contains("uri: /orders/42?x=1"), echoed);
                assertEquals(
                        List.of("x-keyledger-key-id: " + key.id(), "x-keyledger-org: " + org,
                                "x-keyledger-privilege: member", "x-keyledger-service-account: svc"),
                        Gateways.headerLines(echoed, "x-keyledger-"),
                        "exactly the check's identity, nothing the client sent");
                assertFalse(echoed.contains("forged"), echoed);
                assertFalse(echoed.contains(key.value()), "the key stays at the gateway");
            }
            // no key: the upstream is never reached, forged headers or not
            Response refused = forging(through(gateway)).get("/orders/42");
            assertEquals(401, refused.statusCode());
            assertFalse(refused.asString().contains("method:"), "the upstream answered: " + refused.asString());
            assertTrue(refused.header("WWW-Authenticate").startsWith("Bearer realm=\"keyledger\""));
        }
    }

    @ParameterizedTest
    @EnumSource(Shipped.class)
    void refusesRevokedUnknownAndExpiredKeys(Shipped shipped) throws Exception {
        try (Gateways.Running gateway = start(shipped)) {
            Gateways.IssuedKey revoked = Gateways.issue(org, "svc", null);
            through(gateway).auth().oauth2(revoked.value()).get("/a").then().statusCode(200); // its answer is cached now
            Api.admin(org).revoke(account, revoked.id()).statusCode(200);
            // at once: no wait between DELETE's answer and this request
            Response afterRevocation = through(gateway).auth().oauth2(revoked.value()).get("/a");
            assertEquals(401, afterRevocation.statusCode());
            assertFalse(afterRevocation.asString().contains("method:"));

            String unknown = new io.keyledger.serviceaccount.ApiKeyFormat("kl", new java.security.SecureRandom())
                    .newKey();
            assertEquals(401, through(gateway).auth().oauth2(unknown).get("/a").statusCode());

            Gateways.IssuedKey expiring = Gateways.issue(org, "svc", System.currentTimeMillis() / 1000 + 600);
            through(gateway).header("X-API-Key", expiring.value()).get("/a").then().statusCode(200);
            ShiftableClock.shift(Duration.ofMinutes(11));
            Response expired = through(gateway).header("X-API-Key", expiring.value()).get("/a");
            assertEquals(401, expired.statusCode());
            assertTrue(expired.header("WWW-Authenticate").contains("invalid_token"), expired.headers().toString());
        }
    }

    /** Caddy hands the check's own answer to the client, its reason included. */
    @Test
    void caddy_refusesARevokedKey_withKeyledgersReason() throws Exception {
        try (Gateways.Running caddy = caddy()) {
            Gateways.IssuedKey revoked = Gateways.issue(org, "svc", null);
            Api.admin(org).revoke(account, revoked.id()).statusCode(200);
            through(caddy).auth().oauth2(revoked.value()).get("/a").then().statusCode(401)
                    .body("errors.code", equalTo("REVOKED")).body("message", equalTo("API key revoked"));
        }
    }

    @Test
    void aThrottledClient_gets429WithRetryAfter_throughNginxAndCaddy() throws Exception {
        // time stands still: the address's junk allowance (20 a minute in %test) does not refill during the test
        ShiftableClock.freeze();
        try (Gateways.Running nginx = nginx(); Gateways.Running caddy = caddy()) {
            Response last = null;
            int refused = 0;
            for (int i = 0; i < 30 && (last == null || last.statusCode() == 401); i++) {
                last = through(nginx).auth().oauth2("kl_junk" + i).get("/a");
                refused += last.statusCode() == 401 ? 1 : 0;
            }
            assertEquals(429, last.statusCode(), "junk keys from one client address end in 429: " + nginx.log());
            assertTrue(refused > 0 && refused <= 20, "401s before the 429: " + refused);
            assertTrue(Long.parseLong(last.header("Retry-After")) >= 1, last.headers().toString());
            assertEquals("application/json", last.contentType().split(";")[0]);
            assertFalse(last.jsonPath().getString("message").isBlank());
            // the same client through Caddy: the same address, the same allowance, keyledger's own 429
            Response viaCaddy = through(caddy).auth().oauth2("kl_junk-caddy").get("/a");
            assertEquals(429, viaCaddy.statusCode());
            assertTrue(Long.parseLong(viaCaddy.header("Retry-After")) >= 1);
            // junk never locks out a real key from the same address (lookups have their own allowance)
            Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
            through(nginx).auth().oauth2(key.value()).get("/a").then().statusCode(200);
        }
    }

    /**
     * Address allow-lists through the shipped nginx file: nginx sends the client's address as X-Forwarded-For (keyledger
     * trusts it from 127.0.0.1 here), so a key bound to the client's address passes and one bound elsewhere is refused
     * 403, even when the client forges X-Forwarded-For (nginx replaces it).
     */
    @Test
    void nginx_aKeyBoundToOtherAddresses_isRefused_evenWithAForgedForwardedFor() throws Exception {
        try (Gateways.Running nginx = nginx()) {
            String here = issuedKey("{\"description\":\"here\",\"allowed_cidrs\":[\"127.0.0.1/32\"]}");
            String elsewhere = issuedKey("{\"description\":\"elsewhere\",\"allowed_cidrs\":[\"10.1.2.0/24\"]}");
            assertEquals(200, through(nginx).header("X-API-Key", here).get("/orders/3").statusCode(), nginx.log());
            for (Response refused : List.of(through(nginx).header("X-API-Key", elsewhere).get("/orders/3"),
                    through(nginx).header("X-API-Key", elsewhere).header("X-Forwarded-For", "10.1.2.3")
                            .get("/orders/3"))) {
                assertEquals(403, refused.statusCode(), refused.asString());
                assertFalse(refused.asString().contains("method:"), "the upstream answered: " + refused.asString());
            }
        }
    }

    /**
     * The shipped nginx file with its check asking for a scope (as docs/gateways.md shows): a key issued with that
     * scope passes with X-Keyledger-Scopes, one without it is refused 403 by keyledger's own answer, and a forged
     * X-Keyledger-Scopes never reaches the upstream.
     */
    @Test
    void nginx_aRouteThatRequiresAScope_passesOnlyKeysThatHaveIt() throws Exception {
        try (Gateways.Running nginx = Gateways.nginx(keyledger.getPort(), echo.getAddress().getPort(),
                site -> site.replace("proxy_pass http://keyledger/api/v2/authz;",
                        "proxy_pass http://keyledger/api/v2/authz?scope=orders:write;"))) {
            String writer = issuedKey("{\"description\":\"w\",\"scopes\":[\"orders:write\",\"orders:read\"]}");
            String reader = issuedKey("{\"description\":\"r\",\"scopes\":[\"orders:read\"]}");
            Response passed = through(nginx).header("X-API-Key", writer).header("X-Keyledger-Scopes", "forged:all")
                    .get("/orders/9");
            assertEquals(200, passed.statusCode(), nginx.log());
            assertEquals(List.of("x-keyledger-scopes: orders:write orders:read"),
                    Gateways.headerLines(passed.asString(), "x-keyledger-scopes"), passed.asString());
            Response refused = through(nginx).header("X-API-Key", reader).get("/orders/9");
            assertEquals(403, refused.statusCode(), refused.asString());
            assertFalse(refused.asString().contains("method:"), "the upstream answered: " + refused.asString());
        }
    }

    @Test
    void aCheckThroughNginx_reachesLastUsedAt_withTheOriginalRequest() throws Exception {
        try (Gateways.Running nginx = nginx()) {
            Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
            given().auth().oauth2(Tokens.admin(org))
                    .get("/api/v2/service-accounts/{org}/{name}/api-keys/{id}", org, "svc", key.id()).then()
                    .statusCode(200).body("last_used_at", equalTo(null));
            through(nginx).auth().oauth2(key.value()).delete("/orders/42?x=1").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> given().auth().oauth2(Tokens.admin(org))
                            .get("/api/v2/service-accounts/{org}/{name}/api-keys/{id}", org, "svc", key.id()).then()
                            .statusCode(200).body("last_used_at", notNullValue()));
            // nginx's X-Original-Method and X-Original-URI, the query left out
            GatewayProtocolTest.assertUsage(key, "DELETE", "/orders/42");
        }
    }

    @Test
    void aCheckThroughCaddy_recordsTheOriginalRequest_andAForgedOneCannotReplaceIt() throws Exception {
        try (Gateways.Running caddy = caddy(); Gateways.Running nginx = nginx()) {
            Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
            // Caddy's X-Forwarded-Method and X-Forwarded-Uri (it sets them over whatever the client sent)
            through(caddy).header("X-API-Key", key.value()).header("X-Forwarded-Uri", "/forged")
                    .put("/carts/7?coupon=1").then().statusCode(200);
            GatewayProtocolTest.assertUsage(key, "PUT", "/carts/7");
            // nginx clears a client's X-Forwarded-Uri before the check, so its own X-Original-URI counts
            Gateways.IssuedKey other = Gateways.issue(org, "svc", null);
            through(nginx).header("X-API-Key", other.value()).header("X-Forwarded-Method", "PATCH")
                    .header("X-Forwarded-Uri", "/forged").post("/carts/8").then().statusCode(200);
            GatewayProtocolTest.assertUsage(other, "POST", "/carts/8");
        }
    }
}
