package io.keyledger.auth;

import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Keycloak token as it comes with "Full group path" on (the docs/identity.md recipe): groups {@code /keyledger/<org>/admin} read through
 * KEYLEDGER_AUTH_*_GROUP_PATTERN, against the real service. Under these patterns a default-shaped group grants nothing.
 */
@QuarkusTest
@TestProfile(GroupPatternsTokensTest.KeycloakGroupPaths.class)
class GroupPatternsTokensTest {

    public static class KeycloakGroupPaths extends ConfigOverrides {
        public KeycloakGroupPaths() {
            super("keyledger.auth.admin-group-pattern", "/keyledger/{org}/admin", "keyledger.auth.member-group-pattern",
                    "/keyledger/{org}/member", "keyledger.auth.role-group-pattern", "/keyledger-roles/{role}");
        }
    }

    private static String keycloak(String subject, String... groups) {
        return Jwt.subject(subject).audience(Tokens.AUDIENCE).groups(Set.of(groups)).expiresIn(Duration.ofMinutes(10))
                .sign();
    }

    private static int createAccount(String token, String org, String name) {
        return Api.as(token, org)
                .postAccount("{\"name\":\"" + name + "\",\"description\":\"idp\",\"privilege\":\"member\"}").extract()
                .statusCode();
    }

    @Test
    void adminGroupPath_managesItsOrgAndNoOther() {
        String org = Fixtures.newOrg();
        String admin = keycloak("kc-admin", "/keyledger/" + org + "/admin", "/offline_access");
        assertStatus(201, createAccount(admin, org, "svc"));
        Api.as(admin, org).getAccount("svc").statusCode(200).body("name", equalTo("svc"));
        // and only its own org
        assertStatus(403, createAccount(admin, Fixtures.newOrg(), "svc"));
    }

    @Test
    void memberGroupPath_readsButDoesNotWrite() {
        String org = Fixtures.newOrg();
        assertStatus(201, createAccount(keycloak("kc-admin", "/keyledger/" + org + "/admin"), org, "svc"));
        String member = keycloak("kc-member", "/keyledger/" + org + "/member");
        Api.as(member, org).getAccount("svc").statusCode(200);
        assertStatus(403, createAccount(member, org, "other"));
    }

    @Test
    void defaultShapedGroups_grantNothingUnderOtherPatterns() {
        String org = Fixtures.newOrg();
        Api.admin(org).listAccounts().statusCode(403);
        Api.as(Tokens.auditor()).verification(UUID.randomUUID()).statusCode(403);
    }

    @Test
    void nestedPath_isNotAnOrg() {
        // "/keyledger/a/b/admin" must not make its holder an admin of org "a/b" (nor of "a" or "b")
        String token = keycloak("kc-nested", "/keyledger/a/b/admin");
        Api.as(token, "a").listAccounts().statusCode(403);
        Api.as(token, "b").listAccounts().statusCode(403);
    }

    @Test
    void roleGroupPath_grantsTheServiceWideRole() {
        Api.as(keycloak("kc-auditor", "/keyledger-roles/auditor")).verification(UUID.randomUUID()).statusCode(404);
        Api.as(keycloak("kc-not-auditor", "/keyledger-roles/superuser")).verification(UUID.randomUUID())
                .statusCode(403);
    }

    private static void assertStatus(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
