package io.keyledger.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * OIDC sign-in in a real browser against a real provider ({@link OidcProvider}): authorization code with PKCE
 * (S256), the code traded for the access token by the browser, the token kept in the tab only, and the API accepting
 * it. The Content-Security-Policy lets the browser reach the issuer's origin and nothing else.
 */
@QuarkusTest
// a service of its own, started with the provider and trusting only it
@QuarkusTestResource(value = OidcProvider.class, restrictToAnnotatedClass = true)
class ConsoleOidcTest {

    @TestHTTPResource("/")
    URL root;

    private static String issuerOrigin() {
        URI discovery = URI
                .create(ConfigProvider.getConfig().getValue("keyledger.console.oidc.discovery-url", String.class));
        return discovery.getScheme() + "://" + discovery.getHost() + ":" + discovery.getPort();
    }

    @Test
    void theSignInConfig_namesTheIssuer_andTheCspAllowsItsOrigin() {
        given().get("/console/config.json").then().statusCode(200).header("Cache-Control", "no-store")
                .body("oidc.client_id", equalTo(OidcProvider.CLIENT_ID)).body("oidc.discovery_url", equalTo(
                        ConfigProvider.getConfig().getValue("keyledger.console.oidc.discovery-url", String.class)));
        String csp = given().get("/console/").then().statusCode(200).extract().header("Content-Security-Policy");
        assertTrue(csp.contains("connect-src 'self' " + issuerOrigin() + ";"), csp);
        assertTrue(csp.contains("form-action 'self' " + issuerOrigin() + ";"), csp);
    }

    @Test
    void aPerson_signsInWithTheIssuer_usingPkce_andTheApiAcceptsTheToken() {
        try (Browser browser = Browser.open(root.toString().replaceAll("/$", ""))) {
            browser.go("#/orgs/" + OidcProvider.ORG + "/accounts").expectHeading("Sign in");
            browser.checkPage("signin-oidc");
            browser.press("Sign in with your identity provider");
            // back from the issuer, at the page asked for first, with the code gone from the address bar
            browser.expectHeading("Service accounts of " + OidcProvider.ORG).waitForText("No service accounts yet.");
            String url = browser.driver.getCurrentUrl();
            assertFalse(url.contains("code=") || url.contains("state="), url);
            browser.waitForText("Signed in as " + OidcProvider.SUBJECT);

            String token = (String) browser.script("return sessionStorage.getItem('keyledger.console.token')");
            assertEquals(3, token.split("\\.").length, token);
            assertEquals(1L, browser.script("return sessionStorage.length"),
                    "only the token stays; the PKCE verifier is gone");
            assertEquals(0L, browser.script("return localStorage.length"));
            Api.as(token, OidcProvider.ORG).listAccounts().statusCode(200);

            browser.type("Name", "from-oidc").press("Create account").expectHeading("Keys of from-oidc");
            Api.as(token, OidcProvider.ORG).accountEvents("from-oidc").statusCode(200).body("events[0].actor.subject",
                    equalTo(OidcProvider.SUBJECT));
        }
    }
}
