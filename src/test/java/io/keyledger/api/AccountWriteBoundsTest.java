package io.keyledger.api;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
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

    private static int events(String org, String name) {
        return Api.admin(org).query("limit", 1000).accountEvents(name).statusCode(200).extract().jsonPath()
                .getList("events").size();
    }

    @Test
    void aPatchThatChangesNothing_answersAsBefore_andAppendsNoEvent() {
        String org = Fixtures.newOrgWithAccounts("svc");
        int before = events(org, "svc");
        for (String body : List.of("{\"description\":\"ci\"}", "{\"privilege\":\"member\"}",
                "{\"description\":\"ci\",\"privilege\":\"member\"}")) {
            Api.admin(org).patchAccount("svc", body).statusCode(200).body("name", equalTo("svc"))
                    .body("description", equalTo("ci")).body("privilege", equalTo("member"));
        }
        assertEquals(before, events(org, "svc"), "no-op PATCHes appended events");
        Api.admin(org).patchAccount("svc", "{\"description\":\"changed\"}").statusCode(200).body("description",
                equalTo("changed"));
        assertEquals(before + 1, events(org, "svc"));
    }

    @Test
    void accountWrites_areRateLimitedPerOrg_withAJson429AndRetryAfter_andOtherOrgsAreNotAffected() {
        String org = Fixtures.newOrgWithAccounts("svc");
        Response limited = null;
        // 150 a minute, refilled at 2.5 a second: a tight loop reaches the limit well before 1000 writes
        for (int i = 0; i < 1000 && limited == null; i++) {
            Response response = Api.admin(org).patchAccount("svc", "{\"description\":\"d" + (i % 2) + "\"}").extract()
                    .response();
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertEquals(200, response.statusCode(), response.asString());
            }
        }
        assertNotNull(limited, "no 429 after 1000 PATCHes");
        limited.then().contentType(ContentType.JSON).header("Retry-After", not(emptyOrNullString())).body("message",
                startsWith("Rate limit exceeded"));
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
        List<String> all = Api.member(org).orgKeys().statusCode(200).header("Link", nullValue()).extract().jsonPath()
                .getList("service_account");
        assertEquals(List.of("cc", "bb", "aa"), all, "newest first");

        Response first = Api.member(org).query("limit", 2).orgKeys().extract().response();
        first.then().statusCode(200).body("service_account", containsInAnyOrder("aa", "bb")).header("Link",
                equalTo("</api/v2/orgs/" + org + "/api-keys?after=bb&limit=2>; rel=\"next\""));
        Api.member(org).query("after", "bb").query("limit", 2).orgKeys().statusCode(200)
                .body("service_account", equalTo(List.of("cc"))).header("Link", nullValue());
        for (Map.Entry<String, String> bad : Map.of("after", "Not A Name!", "limit", "0").entrySet()) {
            Api.member(org).query(bad.getKey(), bad.getValue()).orgKeys().statusCode(400).body("errors." + bad.getKey(),
                    notNullValue());
        }
    }
}
