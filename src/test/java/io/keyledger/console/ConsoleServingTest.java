package io.keyledger.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the service serves the console: from the jar, under /console/ only, with its headers on every response. */
@QuarkusTest
class ConsoleServingTest {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static ValidatableResponse withConsoleHeaders(ValidatableResponse response) {
        return response.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void theFiles_comeFromTheJar_withTheSecurityHeaders() {
        withConsoleHeaders(given().get("/console/").then().statusCode(200)).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"));
        withConsoleHeaders(given().get("/console/app.js").then().statusCode(200))
                .contentType(containsString("javascript"));
        withConsoleHeaders(given().get("/console/console.css").then().statusCode(200));
        // even what is not there
        withConsoleHeaders(given().get("/console/nothing-here.js").then().statusCode(404));
    }

    @Test
    void theBarePath_movesToTheFolder_andTheApiKeepsItsOwnHeaders() {
        given().redirects().follow(false).get("/console").then().statusCode(301).header("Location", "/console/");
        given().get("/api/v2/ledger/public-key").then().header("Content-Security-Policy", nullValue());
    }

    @Test
    void withoutOidcSettings_theSignInConfigOffersOnlyThePasteSignIn() {
        withConsoleHeaders(given().get("/console/config.json").then().statusCode(200))
                .header("Cache-Control", "no-store").body("oidc", nullValue()).body("size()", equalTo(1));
    }

    @Test
    void theIssuerOrigins_joinConnectSrcAndFormAction() {
        ConsoleConfig.Oidc oidc = new ConsoleConfig.Oidc() {
            public Optional<String> discoveryUrl() {
                return Optional.of("https://Login.Example:8443/realms/acme/.well-known/openid-configuration");
            }

            public Optional<String> clientId() {
                return Optional.of("console");
            }

            public Optional<java.util.List<String>> extraOrigins() {
                return Optional.of(java.util.List.of("https://tokens.example/oauth2"));
            }
        };
        assertEquals(Set.of("https://login.example:8443", "https://tokens.example"),
                ConsoleHeaders.issuerOrigins(oidc));
        assertEquals(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                        + " https://login.example:8443 https://tokens.example; base-uri 'none'; form-action 'self'"
                        + " https://login.example:8443 https://tokens.example; frame-ancestors 'none'",
                ConsoleHeaders.of(oidc).get("Content-Security-Policy"));
    }
}
