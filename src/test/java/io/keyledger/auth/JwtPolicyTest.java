package io.keyledger.auth;

import static org.hamcrest.Matchers.notNullValue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 8725: a token must be meant for keyledger, and neither old nor long-lived. */
@QuarkusTest
class JwtPolicyTest {

    @Test
    void tokenForKeyledger_isAccepted() {
        String org = Fixtures.newOrg();
        String token = Jwt.subject("alice").groups(Set.of("org:" + org + ":member")).audience("keyledger")
                .expiresIn(600).sign();
        Api.as(token, org).listAccounts().statusCode(200);
    }

    @Test
    void tokenForAnotherService_isRefused() {
        String org = Fixtures.newOrg();
        String token = Jwt.subject("alice").groups(Set.of("org:" + org + ":member")).audience("billing").expiresIn(600)
                .sign();
        Api.as(token, org).listAccounts().statusCode(401).body("message", notNullValue());
    }

    @Test
    void tokenWithoutAudience_isRefused() {
        String org = Fixtures.newOrg();
        String token = Jwt.subject("alice").groups(Set.of("org:" + org + ":member")).expiresIn(600).sign();
        Api.as(token, org).listAccounts().statusCode(401);
    }

    @Test
    void tokenValidUntil2100_isRefused() {
        String org = Fixtures.newOrg();
        String token = Jwt.subject("alice").groups(Set.of("org:" + org + ":member")).audience("keyledger")
                .issuedAt(Instant.now()).expiresAt(4_102_444_800L).sign();
        Api.as(token, org).listAccounts().statusCode(401);
    }

    @Test
    void tokenIssuedTwoDaysAgo_isRefused_evenIfNotExpired() {
        String org = Fixtures.newOrg();
        long now = Instant.now().getEpochSecond();
        String token = Jwt.subject("alice").groups(Set.of("org:" + org + ":member")).audience("keyledger")
                .issuedAt(now - 2 * 86_400).expiresAt(now + 600).sign();
        Api.as(token, org).listAccounts().statusCode(401);
    }
}
