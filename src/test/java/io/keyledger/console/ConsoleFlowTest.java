package io.keyledger.console;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser against the real service (issue 26, "Tested in a real browser", steps 1 to 9): an
 * admin signs in by pasting a token, creates an account and a key, sees the key value once, uses the key, rotates and
 * revokes it, reads the history and the as-of view, and downloads the credential report; a member is told they lack
 * permission, and a bad form shows the API's own field errors. Every page passes {@link Browser#checkPage}.
 */
@QuarkusTest
class ConsoleFlowTest {

    private static final Duration USAGE_DEADLINE = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URL root;

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    private static String keysRoute(String org, String account) {
        return "#/orgs/" + org + "/accounts/" + account + "/keys";
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Polls (with a deadline) until the wall clock has passed this unix second. */
    private static void awaitSecondPassed(long second) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> nowSeconds() > second);
    }

    static void signIn(Browser browser, String token) {
        browser.go("#/");
        assertEquals("Sign in", browser.heading());
        browser.type("Access token (JWT)", token).press("Sign in").expectHeading("Your orgs");
    }

    @Test
    void anAdmin_createsAnAccountAndAKey_usesRotatesAndRevokesIt_readsTheHistory_andDownloadsTheReport()
            throws IOException {
        String org = Fixtures.newOrg();
        try (Browser browser = Browser.open(base())) {
            // 1. sign in (paste a token)
            browser.go("#/");
            browser.checkPage("signin");
            FirstLoad.assertWithinBudget(browser);
            signIn(browser, Tokens.admin(org));
            browser.waitForText(org);
            browser.checkPage("orgs");

            // 2. create an account
            browser.go("#/orgs/" + org + "/accounts");
            browser.waitForText("No service accounts yet.");
            browser.type("Name", "ci-bot").type("Description", "CI pipeline");
            new Select(browser.field("Privilege")).selectByValue("admin");
            browser.press("Create account").expectHeading("Keys of ci-bot");
            Api.admin(org).getAccount("ci-bot").statusCode(200).body("description", equalTo("CI pipeline"))
                    .body("privilege", equalTo("admin"));
            browser.go("#/orgs/" + org + "/accounts").waitForText("ci-bot");
            browser.checkPage("accounts");

            // 3. create a key: its value is shown once, and gone after navigating away
            browser.go(keysRoute(org, "ci-bot"));
            browser.type("Description", "deploys").press("Create key");
            WebElement shown = browser.find(By.cssSelector("#new-key input.key-value"));
            String value = shown.getAttribute("value");
            String id = shown.getAttribute("data-key-id");
            assertTrue(value.startsWith("kl_"), value);
            browser.waitForText("it will not be shown again");
            browser.press("Copy").waitForText("Cop");
            browser.checkPage("key-created");
            browser.go("#/orgs/" + org + "/accounts").go(keysRoute(org, "ci-bot")).waitForText(id);
            assertFalse(browser.driver.getPageSource().contains(value), "the key value is still in the page");
            String stored = (String) browser.script("return JSON.stringify([Object.entries(sessionStorage),"
                    + " Object.entries(localStorage), document.cookie, location.href, history.length])");
            assertFalse(stored.contains(value), "the key value was kept: " + stored);

            // 4. the key is listed, never used; used on the API, its last use appears
            assertTrue(lastUsed(browser, id).contains("never"), lastUsed(browser, id));
            Api.as(value, org).getAccount("ci-bot").statusCode(200);
            await().atMost(USAGE_DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                browser.go(keysRoute(org, "ci-bot"));
                return !lastUsed(browser, id).contains("never");
            });
            String exact = browser.driver.findElement(By.xpath(rowOf(id) + "/td[5]/time")).getAttribute("title");
            assertTrue(exact.matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "exact time on hover: " + exact);
            browser.checkPage("keys");

            // 5. rotate with a grace period, then revoke the new key
            browser.press("Rotate key " + id).type("Grace period (hours)", "2");
            browser.checkPage("rotate-dialog");
            browser.press("Rotate").waitForText("keeps working until");
            WebElement rotatedField = browser.find(By.cssSelector("#new-key input.key-value"));
            String newId = rotatedField.getAttribute("data-key-id");
            assertNotEquals(value, rotatedField.getAttribute("value"));
            Api.admin(org).listKeys("ci-bot").statusCode(200).body("size()", equalTo(2));
            long grace = Api.admin(org).getKey("ci-bot", id).statusCode(200).extract().<Number>path("expires_at")
                    .longValue();
            assertTrue(Math.abs(grace - (nowSeconds() + 2 * 3600)) < 600, "the old key lives 2 more hours: " + grace);
            // as a double: rest-assured's default float cannot hold unix seconds to the second
            long created = (long) Math
                    .ceil(new JsonObject(Api.admin(org).getKey("ci-bot", newId).statusCode(200).extract().asString())
                            .getDouble("created_at"));
            awaitSecondPassed(created);
            long beforeRevoke = created;
            browser.press("Revoke key " + newId).waitForText("This cannot be undone");
            browser.checkPage("revoke-dialog");
            browser.press("Revoke " + newId).waitForText("Revoked key " + newId);
            Api.admin(org).getKey("ci-bot", newId).statusCode(404);
            long afterRevoke = nowSeconds() + 1;
            awaitSecondPassed(afterRevoke);

            // 6. history (account and key) and the as-of view before and after the revoke
            browser.go("#/orgs/" + org + "/accounts/ci-bot/history");
            String history = browser.waitForText("KeyRevoked");
            for (String type : List.of("ServiceAccountCreated", "KeyCreated", "KeyRotated", "user admin-of-" + org)) {
                assertTrue(history.contains(type), type + " in " + history);
            }
            String requestId = Api.admin(org).accountEvents("ci-bot").statusCode(200).extract()
                    .path("events[1].request_id");
            assertTrue(history.contains("request " + requestId), "request id " + requestId + " in " + history);
            browser.checkPage("history");
            browser.go("#/orgs/" + org + "/accounts/ci-bot/keys/" + newId + "/history");
            assertEquals("History of key " + newId, browser.heading());
            browser.waitForText("KeyRevoked");
            browser.checkPage("key-history");
            browser.go("#/orgs/" + org + "/as-of?at=" + beforeRevoke).waitForText("Keys active at");
            assertTrue(browser.bodyText().contains(newId) && browser.bodyText().contains(id), browser.bodyText());
            browser.checkPage("as-of");
            browser.go("#/orgs/" + org + "/as-of?at=" + afterRevoke).waitForText("Keys active at");
            assertFalse(browser.bodyText().contains(newId), browser.bodyText());
            assertTrue(browser.bodyText().contains(id),
                    "the replaced key is in its grace period: " + browser.bodyText());
            // the picker itself: an account's as-of, submitted with its default (now)
            browser.go("#/orgs/" + org + "/accounts/ci-bot/as-of").press("Show keys active then")
                    .waitForText("Keys active at");
            assertTrue(browser.driver.getCurrentUrl().contains("/as-of?at="), browser.driver.getCurrentUrl());

            // 9. the credential report, filtered and as CSV
            browser.go("#/orgs/" + org + "/report").waitForText(id);
            browser.checkPage("report");
            browser.type("Unused for at least (days)", "-5").press("Filter")
                    .waitForText("unused_for_days: Must be an integer");
            browser.go("#/orgs/" + org + "/report").press("Download CSV");
            Path csv = browser.downloads.resolve("credential-report-" + org + ".csv");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(csv) && Files.size(csv) > 0);
            List<String> lines = Files.readAllLines(csv);
            assertTrue(lines.get(0).startsWith("\"service_account\",\"privilege\",\"id\""), lines.get(0));
            assertTrue(lines.stream().anyMatch(line -> line.contains(id)), String.join("\n", lines));
        }
    }

    private static String rowOf(String keyId) {
        return "//tr[td/code[normalize-space(.)='" + keyId + "']]";
    }

    private static String lastUsed(Browser browser, String keyId) {
        return browser.driver.findElement(By.xpath(rowOf(keyId) + "/td[5]")).getText();
    }

    @Test
    void aMember_isToldTheyLackPermission_andABadForm_showsTheApisFieldErrors() {
        String org = Fixtures.newOrgWithAccounts("svc");
        try (Browser browser = Browser.open(base())) {
            // 7. a member may read, not create
            signIn(browser, Tokens.member(org));
            browser.go("#/orgs/" + org + "/accounts").waitForText("svc");
            browser.type("Name", "not-allowed").press("Create account");
            String page = browser.waitForText("You lack permission");
            assertTrue(page.contains("You don't have permission to access this resource"), page);
            browser.checkPage("forbidden");
            Api.admin(org).getAccount("not-allowed").statusCode(404);

            // 8. the API's field errors, next to their fields
            browser.script("sessionStorage.clear()");
            signIn(browser, Tokens.admin(org));
            browser.go("#/orgs/" + org + "/accounts/svc/keys");
            browser.type("Description", "bad").type("Allowed CIDRs (optional)", "10.0.0.0/33").press("Create key");
            String cidrError = Api.admin(org)
                    .postKey("svc", "{\"description\":\"bad\",\"allowed_cidrs\":[\"10.0.0.0/33\"]}").statusCode(400)
                    .extract().path("errors.allowed_cidrs");
            browser.waitForText(cidrError);
            WebElement cidrs = browser.field("Allowed CIDRs (optional)");
            assertEquals("true", cidrs.getAttribute("aria-invalid"));
            String describedBy = cidrs.getAttribute("aria-describedby");
            String nextToField = browser.driver
                    .findElement(By.id(describedBy.substring(describedBy.lastIndexOf(' ') + 1))).getText();
            assertEquals(cidrError, nextToField);
            browser.checkPage("field-errors");
        }
    }
}
