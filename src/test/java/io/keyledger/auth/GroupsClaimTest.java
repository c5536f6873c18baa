package io.keyledger.auth;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** keyledger.auth.groups-claim points at a Keycloak-shaped nested claim: its token is used as it comes. */
@QuarkusTest
@TestProfile(GroupsClaimTest.KeycloakShaped.class)
class GroupsClaimTest {

    public static class KeycloakShaped extends ConfigOverrides {
        public KeycloakShaped() {
            super("keyledger.auth.groups-claim", "realm_access/roles");
        }
    }

    private static final String ORG = "keycloak-shaped";

    @Test
    void rolesUnderRealmAccessAreTheGroups() {
        String keycloak = Jwt.subject("kc-user").audience(Tokens.AUDIENCE)
                .claim("realm_access", Map.of("roles", List.of("org:" + ORG + ":admin", "offline_access")))
                .expiresIn(Duration.ofMinutes(10)).sign();
        // with the default (groups) this token has no groups and gets 403
        Api.as(keycloak, ORG).listAccounts().statusCode(200);
    }
}
