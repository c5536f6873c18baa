package io.keyledger.auth;

import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An issuer whose keys keyledger fetches from a JWKS URL (MP_JWT_VERIFY_PUBLICKEY_LOCATION=https://.../jwks). */
@QuarkusTest
@TestProfile(JwksTest.FromJwksUrl.class)
class JwksTest {

    public static class FromJwksUrl implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwksServer.class));
        }
    }

    private static String signed(String org, String kid, PrivateKey key) {
        return Jwt.subject("jwks-admin").audience(Tokens.AUDIENCE).groups(Set.of("org:" + org + ":admin"))
                .expiresIn(Duration.ofMinutes(10)).jws().keyId(kid).sign(key);
    }

    @Test
    void tokenSignedWithAPublishedKey_isAccepted() throws Exception {
        // no PEM of this key is configured anywhere: only the JWKS URL can make it pass
        String org = Fixtures.newOrg();
        Api.as(signed(org, JwksServer.KID, KeyUtils.readPrivateKey(JwksServer.PRIVATE_KEY)), org).listAccounts()
                .statusCode(200);
    }

    @Test
    void tokenSignedWithAnotherKeyUnderAPublishedKid_isRefusedAsSignature() throws Exception {
        String org = Fixtures.newOrg();
        Api.as(signed(org, JwksServer.KID, KeyUtils.generateKeyPair(2048).getPrivate()), org).listAccounts()
                .statusCode(401).body("errors.token", equalTo(JwtRefusal.SIGNATURE));
    }

    @Test
    void tokenNamingTheOtherPublishedKey_isRefusedAsSignature() throws Exception {
        String org = Fixtures.newOrg();
        Api.as(signed(org, "jwks-test-2", KeyUtils.readPrivateKey(JwksServer.PRIVATE_KEY)), org).listAccounts()
                .statusCode(401).body("errors.token", equalTo(JwtRefusal.SIGNATURE));
    }

    @Test
    void theSuitesPemIssuer_isNotTrustedHere() {
        String org = Fixtures.newOrg();
        Api.admin(org).listAccounts().statusCode(401);
    }
}
