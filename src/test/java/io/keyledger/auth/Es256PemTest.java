package io.keyledger.auth;

import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An issuer that signs with ES256, its public key a PEM file (MP_JWT_VERIFY_PUBLICKEY_ALGORITHM=ES256). */
@QuarkusTest
@TestProfile(Es256PemTest.Es256Pem.class)
class Es256PemTest {

    public static class Es256Pem extends ConfigOverrides {
        public Es256Pem() {
            super("mp.jwt.verify.publickey.location", "test-jwt/test-only-es256-public-key.pem",
                    "mp.jwt.verify.publickey.algorithm", "ES256");
        }
    }

    private static String es256(String org, PrivateKey key) {
        return Jwt.subject("es-admin").audience(Tokens.AUDIENCE).groups(Set.of("org:" + org + ":admin"))
                .expiresIn(Duration.ofMinutes(10)).jws().algorithm(SignatureAlgorithm.ES256).sign(key);
    }

    @Test
    void tokenSignedWithTheIssuersKey_isAccepted() throws Exception {
        String org = Fixtures.newOrg();
        PrivateKey issuer = KeyUtils.readPrivateKey("test-jwt/test-only-es256-private-key.pem",
                SignatureAlgorithm.ES256);
        Api.as(es256(org, issuer), org).listAccounts().statusCode(200);
    }

    @Test
    void tokenSignedWithAnotherEcKey_isRefusedAsSignature() throws Exception {
        String org = Fixtures.newOrg();
        PrivateKey other = KeyUtils.generateKeyPair(256, SignatureAlgorithm.ES256).getPrivate();
        Api.as(es256(org, other), org).listAccounts().statusCode(401).body("errors.token",
                equalTo(JwtRefusal.SIGNATURE));
    }

    @Test
    void rs256Token_isRefused() {
        // the suite's RS256 issuer key is not this issuer's, and RS256 is not the algorithm configured
        String org = Fixtures.newOrg();
        Api.admin(org).listAccounts().statusCode(401).body("message", equalTo("Invalid or expired credentials"));
    }
}
