package io.keyledger.gateways;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.OneAccountTest;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Envoy and Traefik are not packaged here, so their protocol is sent to the check endpoint as their documentation
 * defines it (deploy/gateways/envoy.yaml and traefik-dynamic.yaml are configured for exactly this):
 * <ul>
 *   <li>Envoy's HTTP ext_authz with {@code path_prefix: /api/v2/authz}: the client's method, our prefix before the
 *   client's path and query, its Authorization (always) and the {@code allowed_headers} (X-API-Key, X-Forwarded-For);
 *   a 2xx lets the request through with the {@code allowed_upstream_headers}, any other status goes to the client
 *   with the {@code allowed_client_headers}.</li>
 *   <li>Traefik's forwardAuth: a GET of the address with the client's headers plus X-Forwarded-Method, -Proto,
 *   -Host, -Uri and -For; a 2xx lets it through with the {@code authResponseHeaders}, anything else is the
 *   client's answer.</li>
 * </ul>
 * The original method and URI (query left out) reach the usage record on authentication-usage, as they do for
 * nginx's X-Original-Method and X-Original-URI and for an API call made with a key.
 */
@QuarkusTest
class GatewayProtocolTest extends OneAccountTest {

    static final String USAGE = "authentication-usage";

    GatewayProtocolTest() {
        super("svc");
    }

    @Test
    void envoy_theClientsMethodAndPathBelowThePrefix_passWithTheIdentityHeaders() {
        Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
        given().auth().oauth2(key.value()).header("X-Forwarded-For", "203.0.113.7")
                .post("/api/v2/authz/orders/7?expand=lines").then().statusCode(200).body(emptyString())
                .header("X-Keyledger-Key-Id", key.id()).header("X-Keyledger-Org", org)
                .header("X-Keyledger-Service-Account", "svc").header("X-Keyledger-Privilege", "member")
                .header("Cache-Control", "no-store");
        // X-API-Key, one of the allowed_headers, and any method Envoy forwards
        given().header("X-API-Key", key.value()).delete("/api/v2/authz/orders/7").then().statusCode(200)
                .header("X-Keyledger-Key-Id", key.id());
        assertUsage(key, "DELETE", "/orders/7");
    }

    @Test
    void envoy_aDenial_isTheClientsAnswer_withItsChallengeAndReason() {
        Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
        given().auth().oauth2(Tokens.admin(org))
                .delete("/api/v2/service-accounts/{org}/{name}/api-keys/{id}", org, "svc", key.id()).then()
                .statusCode(200);
        given().auth().oauth2(key.value()).put("/api/v2/authz/orders/7").then().statusCode(401)
                .contentType("application/json").header("Cache-Control", "no-store")
                .header("WWW-Authenticate", startsWith("Bearer realm=\"keyledger\""))
                .body("errors.code", equalTo("REVOKED")).body("message", equalTo("API key revoked"));
        given().patch("/api/v2/authz/orders/7").then().statusCode(401).body("errors.code", equalTo("MISSING"))
                .header("WWW-Authenticate", equalTo("Bearer realm=\"keyledger\""));
    }

    @Test
    void traefik_aGetWithTheForwardedRequest_passes_andTheOriginalRequestIsRecorded() {
        Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
        String basic = Base64.getEncoder().encodeToString((key.value() + ":").getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", "Basic " + basic).header("X-Forwarded-Method", "PUT")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "app.example")
                .header("X-Forwarded-Uri", "/orders/9?token=s3cret").header("X-Forwarded-For", "198.51.100.4")
                .get("/api/v2/authz").then().statusCode(200).body(emptyString()).header("X-Keyledger-Key-Id", key.id())
                .header("X-Keyledger-Service-Account", "svc");
        JsonObject use = assertUsage(key, "PUT", "/orders/9");
        assertFalse(use.encode().contains("s3cret"), "the query string never reaches the usage record: " + use);
    }

    @Test
    void nginx_theOriginalMethodAndUri_reachTheUsageRecord() {
        Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
        given().header("X-API-Key", key.value()).header("X-Original-Method", "POST")
                .header("X-Original-URI", "/carts/3?id=1").get("/api/v2/authz").then().statusCode(200);
        assertUsage(key, "POST", "/carts/3");
    }

    @Test
    void anApiCallWithAKey_recordsItsOwnMethodAndPath() {
        Gateways.IssuedKey key = Gateways.issue(org, "svc", null);
        given().auth().oauth2(key.value()).get("/api/v2/service-accounts/{org}/{name}", org, "svc").then()
                .statusCode(200);
        assertUsage(key, "GET", "/api/v2/service-accounts/" + org + "/svc");
    }

    /** The usage records of this key (coalesced, so usually one) include one for this method and URI. */
    static JsonObject assertUsage(Gateways.IssuedKey key, String method, String uri) {
        var records = KafkaTopics.awaitRecords(USAGE, r -> key.id().equals(r.key()), seen -> seen.stream()
                .map(GatewayProtocolTest::value).anyMatch(v -> method.equals(v.getString("method"))),
                Duration.ofSeconds(60));
        JsonObject use = records.stream().map(GatewayProtocolTest::value)
                .filter(v -> method.equals(v.getString("method"))).reduce((first, second) -> second).orElseThrow();
        assertEquals(uri, use.getString("uri"), use.encode());
        assertEquals(key.id(), use.getString("key_id"));
        assertTrue(use.getValue("used_at") instanceof Number, use.encode());
        return use;
    }

    private static JsonObject value(ConsumerRecord<String, String> record) {
        return new JsonObject(record.value());
    }
}
