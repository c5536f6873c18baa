package io.keyledger.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An admin cannot grow the log for free (issue 20, finding 3): a PATCH that changes nothing appends
 * nothing, and service-account writes are rate-limited per org like key creation
 * ({@code keyledger.rate-limit.account-writes-per-minute}, 150 in tests); the org-wide as-of pages.
 */
@QuarkusTest
class AccountWriteBoundsTest {

    static final String ACCOUNT = "/api/v2/service-accounts/{org}/{name}";
    static final String EVENTS = ACCOUNT + "/events";
    static final String ORG_KEYS = "/api/v2/orgs/{org}/api-keys";

    private static int events(String org, String name) {
        return given().auth().oauth2(Tokens.admin(org)).queryParam("limit", 1000).get(EVENTS, org, name).then().statusCode(200)
                .extract().jsonPath().getList("events").size();
    }

    @Test
    void aPatchThatChangesNothing_answersAsBefore_andAppendsNoEvent() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        int before = events(org, "svc");
        for (String body : List.of("{\"description\":\"ci\"}", "{\"privilege\":\"member\"}",
                "{\"description\":\"ci\",\"privilege\":\"member\"}")) {
            given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body).patch(ACCOUNT, org, "svc")
                    .then().statusCode(200).body("name", equalTo("svc")).body("description", equalTo("ci"))
                    .body("privilege", equalTo("member"));
        }
        assertEquals(before, events(org, "svc"), "no-op PATCHes appended events");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"changed\"}")
                .patch(ACCOUNT, org, "svc").then().statusCode(200).body("description", equalTo("changed"));
        assertEquals(before + 1, events(org, "svc"));
    }

    @Test
    void accountWrites_areRateLimitedPerOrg_withAJson429AndRetryAfter_andOtherOrgsAreNotAffected() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        Response limited = null;
        // 150 a minute, refilled at 2.5 a second: a tight loop reaches the limit well before 1000 writes
        for (int i = 0; i < 1000 && limited == null; i++) {
            Response response = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                    .body("{\"description\":\"d" + (i % 2) + "\"}").patch(ACCOUNT, org, "svc");
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertEquals(200, response.statusCode(), response.asString());
            }
        }
        assertNotNull(limited, "no 429 after 1000 PATCHes");
        limited.then().contentType(ContentType.JSON).header("Retry-After", not(emptyOrNullString()))
                .body("message", startsWith("Rate limit exceeded"));
        // another org has its own allowance
        String other = Fixtures.newOrg();
        Fixtures.createServiceAccount(other, "svc");
    }

    @Test
    void theOrgWideAsOf_pagesByAccount_andWithoutParametersAnswersTheWholeSmallOrg() {
        String org = Fixtures.newOrg();
        for (String name : List.of("aa", "bb", "cc")) {
            Fixtures.createServiceAccount(org, name);
            Fixtures.createKey(org, name, "of " + name);
        }
        List<String> all = given().auth().oauth2(Tokens.member(org)).get(ORG_KEYS, org).then().statusCode(200)
                .header("Link", nullValue()).extract().jsonPath().getList("service_account");
        assertEquals(List.of("cc", "bb", "aa"), all, "newest first");

        Response first = given().auth().oauth2(Tokens.member(org)).queryParam("limit", 2).get(ORG_KEYS, org);
        first.then().statusCode(200).body("service_account", containsInAnyOrder("aa", "bb"))
                .header("Link", equalTo("</api/v2/orgs/" + org + "/api-keys?after=bb&limit=2>; rel=\"next\""));
        given().auth().oauth2(Tokens.member(org)).queryParam("after", "bb").queryParam("limit", 2).get(ORG_KEYS, org)
                .then().statusCode(200).body("service_account", equalTo(List.of("cc"))).header("Link", nullValue());
        for (Map.Entry<String, String> bad : Map.of("after", "Not A Name!", "limit", "0").entrySet()) {
            given().auth().oauth2(Tokens.member(org)).queryParam(bad.getKey(), bad.getValue()).get(ORG_KEYS, org)
                    .then().statusCode(400).body("errors." + bad.getKey(), notNullValue());
        }
    }
}
