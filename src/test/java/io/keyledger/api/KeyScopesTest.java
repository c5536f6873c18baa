package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys narrower than their account, through the real service: keyledger's own scopes on its API (the account's
 * privilege still caps the key), any other scope passed to and enforced by the gateway check, rotation that copies or
 * narrows, and a 400 naming the field for bad lists. A key issued without scopes answers exactly as before.
 */
@QuarkusTest
class KeyScopesTest {

    static final String ACCOUNTS = "/api/v2/service-accounts/{org}";
    static final String KEYS = ACCOUNTS + "/{name}/api-keys";
    static final String VERIFIER = Tokens.withGroups("scopes-verifier", "keyledger:verifier");

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"ops\",\"description\":\"admin account\",\"privilege\":\"admin\"}")
                .post(ACCOUNTS, org).then().statusCode(201);
        Fixtures.createServiceAccount(org, "reader");
    }

    private ExtractableResponse<Response> issue(String account, String body) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body)
                .post(KEYS, org, account).then().statusCode(201).extract();
    }

    private io.restassured.response.ValidatableResponse create(String body) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body).post(KEYS, org, "ops")
                .then();
    }

    @Test
    void scopesAreShownWhereTheKeyIs_andAKeyWithoutThemAnswersAsBefore() {
        var scoped = issue("ops", "{\"description\":\"s\",\"scopes\":[\"keyledger:read\",\"orders:write\"]}");
        assertScopes(scoped.path("scopes"), List.of("keyledger:read", "orders:write"));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ops", scoped.path("id")).then()
                .statusCode(200).body("scopes", equalTo(List.of("keyledger:read", "orders:write")));
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON).body(Map.of("key", scoped.path("key")))
                .post("/api/v2/api-keys/verify").then().statusCode(200)
                .body("scopes", equalTo(List.of("keyledger:read", "orders:write")));

        var plain = issue("ops", "{\"description\":\"p\"}");
        assertFalse(plain.asString().contains("scopes"), plain.asString());
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ops", plain.path("id")).then()
                .statusCode(200).body("$", not(hasKey("scopes")));
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON).body(Map.of("key", plain.path("key")))
                .post("/api/v2/api-keys/verify").then().statusCode(200).body("$", not(hasKey("scopes")));
    }

    private static void assertScopes(Object actual, List<String> expected) {
        assertEquals(expected, actual);
    }

    @Test
    void keyledgersOwnScopes_limitItsApi_andThePrivilegeStillCapsTheKey() {
        String readOnly = issue("ops", "{\"description\":\"r\",\"scopes\":[\"keyledger:read\"]}").path("key");
        given().auth().oauth2(readOnly).get(ACCOUNTS, org).then().statusCode(200);
        given().auth().oauth2(readOnly).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .post(KEYS, org, "ops").then().statusCode(403)
                .body("message", equalTo("API key lacks scope keyledger:manage"));

        String gatewayOnly = issue("ops", "{\"description\":\"g\",\"scopes\":[\"orders:write\"]}").path("key");
        given().auth().oauth2(gatewayOnly).get(ACCOUNTS, org).then().statusCode(403).body("message",
                equalTo("API key lacks scope keyledger:read"));

        String manager = issue("ops", "{\"description\":\"m\",\"scopes\":[\"keyledger:read\",\"keyledger:manage\"]}")
                .path("key");
        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .post(KEYS, org, "ops").then().statusCode(201);

        // a member account's key cannot manage, whatever it lists
        String memberManager = issue("reader",
                "{\"description\":\"mm\",\"scopes\":[\"keyledger:manage\",\"keyledger:read\"]}").path("key");
        given().auth().oauth2(memberManager).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .post(KEYS, org, "ops").then().statusCode(403)
                .body("message", equalTo("You don't have permission to access this resource"));
        given().auth().oauth2(memberManager).get(ACCOUNTS, org).then().statusCode(200);
    }

    @Test
    void theGatewayCheck_passesTheScopes_andEnforcesTheOneARouteRequires() {
        String key = issue("ops", "{\"description\":\"gw\",\"scopes\":[\"orders:read\",\"orders:write\"]}").path("key");
        given().header("X-API-Key", key).get("/api/v2/authz").then().statusCode(200).header("X-Keyledger-Scopes",
                "orders:read orders:write");
        given().header("X-API-Key", key).queryParam("scope", "orders:write").get("/api/v2/authz").then()
                .statusCode(200);
        given().header("X-API-Key", key).queryParam("scope", "orders:delete").get("/api/v2/authz").then()
                .statusCode(403).body("message", equalTo("API key lacks scope orders:delete"))
                .header("WWW-Authenticate", startsWith("Bearer realm=\"keyledger\", error=\"insufficient_scope\""));
        given().header("X-API-Key", key).header("X-Keyledger-Required-Scope", "orders:delete")
                .get("/api/v2/authz/orders/1").then().statusCode(403)
                .body("message", equalTo("API key lacks scope orders:delete"));

        // a key without scopes may do everything its account may: it passes any route's scope, and sends no scopes
        String plain = issue("ops", "{\"description\":\"plain\"}").path("key");
        given().header("X-API-Key", plain).queryParam("scope", "orders:delete").get("/api/v2/authz").then()
                .statusCode(200).header("X-Keyledger-Scopes", nullValue());
    }

    @Test
    void rotation_copiesTheScopes_orNarrowsThem_andASupersetIsA400() {
        String id = issue("ops", "{\"description\":\"rot\",\"scopes\":[\"orders:read\",\"orders:write\"]}").path("id");
        var copied = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "ops", id).then().statusCode(201).extract();
        assertScopes(copied.path("scopes"), List.of("orders:read", "orders:write"));
        var narrowed = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"scopes\":[\"orders:read\"]}")
                .post(KEYS + "/{id}/rotate", org, "ops", (String) copied.path("id")).then().statusCode(201).extract();
        assertScopes(narrowed.path("scopes"), List.of("orders:read"));
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"scopes\":[\"orders:read\",\"orders:write\"]}")
                .post(KEYS + "/{id}/rotate", org, "ops", (String) narrowed.path("id")).then().statusCode(400)
                .body("errors", hasKey("scopes"));
    }

    @Test
    void badScopes_getA400NamingTheField() {
        for (String scopes : List.of("[\"keyledger:admin\"]", "[\"orders\",\"orders\"]", "[\"Orders\"]", "[\"a b\"]",
                "\"orders\"", "[7]", "[\"" + "x".repeat(129) + "\"]",
                IntStream.range(0, 51).mapToObj(i -> "\"s" + i + "\"").toList().toString())) {
            create("{\"description\":\"bad\",\"scopes\":" + scopes + "}").statusCode(400).body("errors",
                    hasKey("scopes"));
        }
        create("{\"description\":\"ok\",\"scopes\":[\"" + "x".repeat(128) + "\"]}").statusCode(201);
        // an empty list is what a generated client sends for a field it does not use: the same as leaving it out
        create("{\"description\":\"ok\",\"scopes\":[]}").statusCode(201).body("$", not(hasKey("scopes")));
        create("{\"description\":\"ok\",\"scopes\":" + IntStream.range(0, 50).mapToObj(i -> "\"s" + i + "\"").toList()
                + "}").statusCode(201);
    }
}
