package io.keyledger.console;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's other pages in a real browser: an account's settings and its deletion (the confirmation names the
 * keys it revokes), disable and enable, the org key policy (edited by an admin, read-only for a member), the ledger
 * for an auditor, and signing out and a refused token. Every page passes {@link Browser#checkPage}.
 */
@QuarkusTest
class ConsolePagesTest {

    @TestHTTPResource("/")
    URL root;

    private Browser open() {
        return Browser.open(root.toString().replaceAll("/$", ""));
    }

    @Test
    void anAdmin_editsAnAccount_andDeletesIt_afterAConfirmationNamingTheKeysItRevokes() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String first = Fixtures.createKey(org, "svc", "first");
        String second = Fixtures.createKey(org, "svc", "second");
        try (Browser browser = open()) {
            ConsoleFlowTest.signIn(browser, Tokens.admin(org));
            browser.go("#/orgs/" + org + "/accounts/svc");
            assertEquals("Service account svc", browser.heading());
            browser.checkPage("account");
            browser.type("Description", "renamed");
            new Select(browser.field("Privilege")).selectByValue("reader");
            browser.press("Save").waitForText("Saved svc.");
            Api.admin(org).getAccount("svc").statusCode(200).body("description", equalTo("renamed")).body("privilege",
                    equalTo("reader"));

            String dialog = browser.press("Delete svc…").waitForText("Deleting it revokes its 2 active keys");
            assertTrue(dialog.contains(first + " (first)") && dialog.contains(second + " (second)"), dialog);
            browser.checkPage("delete-dialog");
            browser.press("Delete svc").expectHeading("Service accounts of " + org).waitForText("revoked 2 keys");
            Api.admin(org).getAccount("svc").statusCode(404);
        }
    }

    @Test
    void aKey_isDisabledWithAReason_andEnabledAgain() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String id = Fixtures.createKey(org, "svc", "quarantined");
        try (Browser browser = open()) {
            ConsoleFlowTest.signIn(browser, Tokens.admin(org));
            browser.go("#/orgs/" + org + "/accounts/svc/keys").press("Disable key " + id).type("Reason",
                    "suspicious use");
            browser.press("Disable " + id).waitForText("Disabled key " + id);
            browser.waitForText("suspicious use");
            Api.admin(org).getKey("svc", id).statusCode(200).body("disabled_reason", equalTo("suspicious use"));
            browser.press("Enable key " + id).waitForText("Enabled key " + id);
            Api.admin(org).getKey("svc", id).statusCode(200).body("disabled_at", nullValue());
        }
    }

    @Test
    void theKeyPolicy_isEditedByAnAdmin_andOnlyReadByAMember() {
        String org = Fixtures.newOrg();
        try (Browser browser = open()) {
            ConsoleFlowTest.signIn(browser, Tokens.admin(org));
            browser.go("#/orgs/" + org + "/policy").waitForText("no limit");
            String tooLong = Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":5000}").statusCode(400).extract()
                    .path("errors.max_lifetime_days");
            browser.type("Longest key lifetime (days)", "5000").press("Save policy").waitForText(tooLong);
            browser.type("Longest key lifetime (days)", "30");
            new Select(browser.field("On a leak report")).selectByValue("disable");
            browser.press("Save policy").waitForText("Saved the key policy.");
            browser.waitForText("30 days");
            browser.checkPage("policy");
            Api.member(org).keyPolicy().statusCode(200).body("max_lifetime_days", equalTo(30))
                    .body("on_leak", equalTo("disable")).body("updated_by", equalTo("admin-of-" + org));

            browser.script("sessionStorage.clear()");
            ConsoleFlowTest.signIn(browser, Tokens.member(org));
            browser.go("#/orgs/" + org + "/policy").waitForText("Only admins of the org may change it.");
            assertTrue(browser.driver.findElements(By.cssSelector("main form")).isEmpty());
        }
    }

    @Test
    void anAuditor_verifiesTheLedger_andSeesTheVerdictAndCheckpointCount() {
        try (Browser browser = open()) {
            ConsoleFlowTest.signIn(browser, Tokens.auditor());
            browser.waitForText("verify the ledger");
            browser.go("#/ledger").waitForText("No verification from this tab yet.");
            // the walk covers the whole log of the suite's database: a deadline of its own, never a measurement
            String verdict = browser.press("Verify the ledger now").waitForText("Checkpoints checked",
                    Duration.ofMinutes(10));
            assertTrue(verdict.contains("valid: every chain and checkpoint holds"), verdict);
            assertFalse(verdict.contains("First break"), verdict);
            browser.checkPage("ledger");
            // the latest verification of this tab is shown again on the next visit
            browser.go("#/").go("#/ledger").waitForText("Checkpoints checked");
        }
    }

    @Test
    void signingOut_forgetsTheToken_andARefusedToken_asksToSignInAgain() {
        String org = Fixtures.newOrgWithAccounts("svc");
        try (Browser browser = open()) {
            ConsoleFlowTest.signIn(browser, Tokens.admin(org));
            browser.press("Sign out").expectHeading("Sign in").waitForText("the token is forgotten");
            assertEquals(0L, browser.script("return sessionStorage.length + localStorage.length"));
            assertEquals("", browser.script("return document.cookie"));

            browser.type("Access token (JWT)", Tokens.expired(org)).press("Sign in").expectHeading("Your orgs");
            browser.go("#/orgs/" + org + "/accounts").expectHeading("Sign in").waitForText("Sign in again.");
            assertEquals(0L, browser.script("return sessionStorage.length"));

            browser.type("Access token (JWT)", "not a token").press("Sign in").waitForText("This is not a JWT");
        }
    }
}
