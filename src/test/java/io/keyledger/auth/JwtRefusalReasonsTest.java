package io.keyledger.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A refused JWT says why, in WWW-Authenticate (RFC 6750) and in the JSON errors, with the message unchanged; an
 * API key's refusal keeps its answer.
 */
@QuarkusTest
class JwtRefusalReasonsTest {

    private static final String ORG = "refusals";

    private static void refused(String token, String reason) {
        Api.as(token, ORG).listAccounts().statusCode(401).header("WWW-Authenticate",
                equalTo("Bearer realm=\"keyledger\", error=\"invalid_token\", error_description=\"" + reason + "\""))
                .body("message", equalTo("Invalid or expired credentials")).body("errors.token", equalTo(reason));
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder admin() {
        return Jwt.subject("someone").audience(Tokens.AUDIENCE).groups(Set.of("org:" + ORG + ":admin"));
    }

    @Test
    void aGoodTokenStillPasses() {
        Api.admin(ORG).listAccounts().statusCode(200);
    }

    @Test
    void expired() {
        refused(Tokens.expired(ORG), JwtRefusal.EXPIRED);
    }

    @Test
    void wrongIssuer() {
        refused(Tokens.wrongIssuer(ORG), JwtRefusal.ISSUER);
    }

    @Test
    void wrongAudience() {
        refused(Jwt.subject("someone").audience("not-keyledger").groups(Set.of("org:" + ORG + ":admin"))
                .expiresIn(Duration.ofMinutes(10)).sign(), JwtRefusal.AUDIENCE);
    }

    @Test
    void badSignature() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refused(admin().expiresIn(Duration.ofMinutes(10)).sign(generator.generateKeyPair().getPrivate()),
                JwtRefusal.SIGNATURE);
    }

    @Test
    void tooOld() {
        // issued 25 h ago and not yet expired: older than mp.jwt.verify.token.age allows
        Instant issued = Instant.now().minus(Duration.ofHours(25));
        refused(admin().issuedAt(issued).expiresAt(Instant.now().plus(Duration.ofMinutes(10))).sign(),
                JwtRefusal.TOO_OLD);
    }

    @Test
    void issuedInTheFuture() {
        // issue 20 item 7: a forward-dated iat would defeat the 24 h age limit
        Instant issued = Instant.now().plus(Duration.ofDays(365));
        refused(admin().issuedAt(issued).expiresAt(issued.plus(Duration.ofHours(1))).sign(),
                JwtRefusal.ISSUED_IN_FUTURE);
    }

    @Test
    void withinTheSkewIsAccepted() {
        Instant issued = Instant.now().plusSeconds(20);
        Api.as(admin().issuedAt(issued).expiresAt(issued.plus(Duration.ofMinutes(10))).sign(), ORG).listAccounts()
                .statusCode(200);
    }

    @Test
    void malformed() {
        refused("not.a.jwt", JwtRefusal.MALFORMED);
    }

    @Test
    void apiKeyRefusalKeepsItsAnswer() {
        given().header("Authorization", "Bearer kl_not_a_real_key").get(Api.ACCOUNTS, ORG).then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"keyledger\""))
                .body("message", equalTo("Invalid or expired credentials"));
    }
}
