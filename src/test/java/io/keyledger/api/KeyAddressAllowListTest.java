package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.auth.AddressRanges;
import io.keyledger.testing.OneAccountTest;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Keys bound to addresses, through the real service (which sees these requests from 127.0.0.1): a key whose
 * allow-list holds the caller's address works; one whose list does not is refused with 403 on the API, on verify
 * (given a client_address) and on the gateway check. Rotation copies the list unless it gets a new one.
 */
@QuarkusTest
class KeyAddressAllowListTest extends OneAccountTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";
    static final String VERIFIER = Tokens.withGroups("cidr-verifier", "keyledger:verifier");
    static final String REFUSED = "API key is not allowed from this address";

    KeyAddressAllowListTest() {
        super("svc");
    }

    private io.restassured.response.ExtractableResponse<io.restassured.response.Response> issue(String cidrs) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"c\",\"allowed_cidrs\":" + cidrs + "}").post(KEYS, org, "svc").then()
                .statusCode(201).extract();
    }

    @Test
    void aKeyWorksOnlyFromItsAllowedAddresses_onTheApi_verify_andTheGatewayCheck() {
        var inside = issue("[\"127.0.0.0/8\",\"2001:db8::/32\"]");
        assertEquals(List.of("127.0.0.0/8", "2001:db8::/32"), inside.path("allowed_cidrs"));
        given().auth().oauth2((String) inside.path("key")).get("/api/v2/service-accounts/{org}/{name}", org, "svc")
                .then().statusCode(200);
        given().header("X-API-Key", (String) inside.path("key")).get("/api/v2/authz").then().statusCode(200);

        String outside = issue("[\"10.1.2.0/24\"]").path("key");
        given().auth().oauth2(outside).get("/api/v2/service-accounts/{org}/{name}", org, "svc").then().statusCode(403)
                .body("message", equalTo(REFUSED));
        given().header("X-API-Key", outside).get("/api/v2/authz").then().statusCode(403).body("message",
                equalTo(REFUSED));

        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON)
                .body(Map.of("key", outside, "client_address", "10.1.2.77")).post("/api/v2/api-keys/verify").then()
                .statusCode(200).body("valid", equalTo(true)).body("allowed_cidrs", equalTo(List.of("10.1.2.0/24")));
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON)
                .body(Map.of("key", outside, "client_address", "10.1.3.1")).post("/api/v2/api-keys/verify").then()
                .statusCode(403).body("message", equalTo(REFUSED));
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON)
                .body(Map.of("key", outside, "client_address", "not-an-ip")).post("/api/v2/api-keys/verify").then()
                .statusCode(400).body("errors", hasKey("client_address"));
    }

    @Test
    void rotation_copiesTheList_unlessItGetsANewOne() {
        String id = issue("[\"10.0.0.0/8\"]").path("id");
        var copied = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", id).then().statusCode(201).extract();
        assertEquals(List.of("10.0.0.0/8"), copied.path("allowed_cidrs"));
        var replaced = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"allowed_cidrs\":[\"127.0.0.1/32\"]}")
                .post(KEYS + "/{id}/rotate", org, "svc", (String) copied.path("id")).then().statusCode(201).extract();
        assertEquals(List.of("127.0.0.1/32"), replaced.path("allowed_cidrs"));
        given().auth().oauth2((String) replaced.path("key")).get("/api/v2/service-accounts/{org}/{name}", org, "svc")
                .then().statusCode(200);
    }

    @Test
    void badLists_getA400NamingTheField_andAKeyWithoutOneAnswersAsBefore() {
        for (String cidrs : List.of("[\"10.0.0.0/33\"]", "[\"example.com/8\"]", "[\"10.0.0.0/8\",\"10.0.0.0/8\"]",
                "[\"::1/129\"]", "\"10.0.0.0/8\"", "[7]",
                IntStream.range(0, 21).mapToObj(i -> "\"10.0." + i + ".0/24\"").toList().toString())) {
            given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                    .body("{\"description\":\"bad\",\"allowed_cidrs\":" + cidrs + "}").post(KEYS, org, "svc").then()
                    .statusCode(400).body("errors", hasKey("allowed_cidrs"));
        }
        var plain = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"p\"}").post(KEYS, org, "svc").then().statusCode(201)
                .body("$", not(hasKey("allowed_cidrs"))).extract();
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "svc", (String) plain.path("id")).then()
                .statusCode(200).body("$", not(hasKey("allowed_cidrs")));
    }

    @Test
    void addressRanges_matchIpv4AndIpv6_andNeverANameOrAMalformedAddress() {
        assertEquals(true, AddressRanges.allows(List.of("10.1.2.0/24"), "10.1.2.255"));
        assertEquals(false, AddressRanges.allows(List.of("10.1.2.0/24"), "10.1.3.0"));
        assertEquals(true, AddressRanges.allows(List.of("2001:db8::/32"), "2001:db8:ffff::1"));
        assertEquals(false, AddressRanges.allows(List.of("2001:db8::/32"), "10.1.2.3"));
        assertEquals(false, AddressRanges.allows(List.of("0.0.0.0/0"), "localhost"));
        assertEquals(true, AddressRanges.allows(null, "anything"));
        assertEquals("10.1.2.0/24", AddressRanges.normalized("10.1.2.77/24"));
    }
}
