package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** How IdP group names read as keyledger's permissions, and which patterns are refused at start (pure code). */
class GroupPatternsTest {

    private static final GroupPatterns KEYCLOAK_PATHS = GroupPatterns.of("/keyledger/{org}/admin",
            "/keyledger/{org}/member", "/keyledger/roles/{role}");

    private static String refusal(String admin, String member, String role) {
        return assertThrows(IllegalArgumentException.class, () -> GroupPatterns.of(admin, member, role)).getMessage();
    }

    @Test
    void defaults_keepTodaysGroupsAndDropTheRest() {
        Set<String> groups = Set.of("org:acme:admin", "org:beta:member", "keyledger:auditor", "offline_access",
                "keyledger:superuser", "Org:acme:admin");
        assertEquals(Set.of("org:acme:admin", "org:beta:member", "keyledger:auditor"),
                GroupPatterns.defaults().translate(groups));
    }

    @Test
    void customPatterns_translateToKeyledgersNames() {
        assertEquals(Set.of("org:acme:admin", "org:beta:member", "keyledger:verifier", "keyledger:operator"),
                KEYCLOAK_PATHS.translate(Set.of("/keyledger/acme/admin", "/keyledger/beta/member",
                        "/keyledger/roles/verifier", "/keyledger/roles/operator")));
    }

    @Test
    void customPatterns_defaultShapedGroupsGrantNothing() {
        assertEquals(Set.of(), KEYCLOAK_PATHS.translate(Set.of("org:acme:admin", "keyledger:operator")));
    }

    @Test
    void orgPart_neverSpansAPathSegment_norIsEmptyOrBlank() {
        assertEquals(Set.of(), KEYCLOAK_PATHS.translate(Set.of("/keyledger/a/b/admin", "/keyledger//admin",
                "/keyledger/a b/admin", "/keyledger/roles/a/verifier")));
    }

    @Test
    void matching_isCaseSensitive() {
        assertEquals(Set.of(), KEYCLOAK_PATHS
                .translate(Set.of("/Keyledger/acme/admin", "/keyledger/acme/ADMIN", "/keyledger/roles/Verifier")));
        assertEquals(Set.of("org:Acme:admin"), KEYCLOAK_PATHS.translate(Set.of("/keyledger/Acme/admin")));
    }

    @Test
    void unknownRole_grantsNothing() {
        assertEquals(Set.of(), GroupPatterns.defaults().translate(Set.of("keyledger:admin", "keyledger:")));
    }

    @Test
    void entraAppRoleValues_withDots() {
        GroupPatterns entra = GroupPatterns.of("KeyLedger.{org}.Admin", "KeyLedger.{org}.Member",
                "KeyLedger.Role.{role}");
        assertEquals(Set.of("org:acme:admin", "keyledger:scanner"),
                entra.translate(Set.of("KeyLedger.acme.Admin", "KeyLedger.Role.scanner")));
    }

    @Test
    void placeholderMissingOrTwice_isRefusedNamingTheSetting() {
        String missing = refusal("org:admin", GroupPatterns.DEFAULT_MEMBER, GroupPatterns.DEFAULT_ROLE);
        assertTrue(
                missing.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN must contain {org} exactly once: \"org:admin\""),
                missing);
        String twice = refusal(GroupPatterns.DEFAULT_ADMIN, "{org}:{org}:member", GroupPatterns.DEFAULT_ROLE);
        assertTrue(twice.contains("KEYLEDGER_AUTH_MEMBER_GROUP_PATTERN must contain {org} exactly once"), twice);
        String role = refusal(GroupPatterns.DEFAULT_ADMIN, GroupPatterns.DEFAULT_MEMBER, "keyledger:{org}");
        assertTrue(role.contains("KEYLEDGER_AUTH_ROLE_GROUP_PATTERN must contain {role} exactly once"), role);
        String foreign = refusal("org:{org}:{role}:admin", GroupPatterns.DEFAULT_MEMBER, GroupPatterns.DEFAULT_ROLE);
        assertTrue(foreign.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN must not contain {role}"), foreign);
        String empty = refusal(" ", GroupPatterns.DEFAULT_MEMBER, GroupPatterns.DEFAULT_ROLE);
        assertTrue(empty.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN is empty"), empty);
        assertTrue(empty.startsWith("keyledger cannot start: "), empty);
    }

    @Test
    void placeholderAlone_isRefused() {
        String alone = refusal("{org}", GroupPatterns.DEFAULT_MEMBER, GroupPatterns.DEFAULT_ROLE);
        assertTrue(alone.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN needs literal text around {org}"), alone);
    }

    @Test
    void patternsThatCanMatchOneGroup_areRefused() {
        // "kl-acme-admin" would be both an admin of acme and a member of "acme-admin"
        String overlap = refusal("kl-{org}-admin", "kl-{org}", GroupPatterns.DEFAULT_ROLE);
        assertTrue(overlap.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN (\"kl-{org}-admin\") and "
                + "KEYLEDGER_AUTH_MEMBER_GROUP_PATTERN (\"kl-{org}\") can both match one group"), overlap);
        String same = refusal("org:{org}", "org:{org}", GroupPatterns.DEFAULT_ROLE);
        assertTrue(same.contains("can both match one group"), same);
        // "keyledger:verifier" would be the verifier role and an admin of org "verifier"
        String role = refusal("keyledger:{org}", GroupPatterns.DEFAULT_MEMBER, GroupPatterns.DEFAULT_ROLE);
        assertTrue(role.contains("KEYLEDGER_AUTH_ROLE_GROUP_PATTERN (\"keyledger:{role}\") and "
                + "KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN (\"keyledger:{org}\") both match the group \"keyledger:auditor\""),
                role);
    }

    @Test
    void rolePattern_sharingAPrefixWithOrgPatterns_isFineWhenNoRoleGroupIsAnOrgGroup() {
        // "/keyledger/roles/admin" would match both, but "admin" is no role: no role group means two things
        assertEquals(Set.of("keyledger:auditor", "org:roles:admin"),
                KEYCLOAK_PATHS.translate(Set.of("/keyledger/roles/auditor", "/keyledger/roles/admin")));
        String clash = refusal("/keyledger/{org}/auditor", GroupPatterns.DEFAULT_MEMBER, "/keyledger/roles/{role}");
        assertTrue(clash.contains("both match the group \"/keyledger/roles/auditor\""), clash);
    }

    @Test
    void everyProblem_isNamedAtOnce() {
        String both = refusal("admin", "member", GroupPatterns.DEFAULT_ROLE);
        assertTrue(both.contains("KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN")
                && both.contains("KEYLEDGER_AUTH_MEMBER_GROUP_PATTERN"), both);
    }
}
