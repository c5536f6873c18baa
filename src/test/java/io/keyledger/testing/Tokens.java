package io.keyledger.testing;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** JWTs signed with the test-only key pair in src/test/resources/test-jwt. */
public final class Tokens {

    /** What keyledger requires in {@code aud} (mp.jwt.verify.audiences). */
    public static final String AUDIENCE = "keyledger";

    private Tokens() {
    }

    public static String admin(String org) {
        return withGroups("admin-of-" + org, "org:" + org + ":admin");
    }

    public static String member(String org) {
        return withGroups("member-of-" + org, "org:" + org + ":member");
    }

    public static String withGroups(String subject, String... groups) {
        return Jwt.subject(subject).audience(AUDIENCE).groups(Set.of(groups)).expiresIn(Duration.ofMinutes(10)).sign();
    }

    /** May read and verify the whole log (the ledger endpoints). */
    public static String auditor() {
        return withGroups("auditor", "keyledger:auditor");
    }

    /** May run operations on the service (the projection rebuild on the management port). */
    public static String operator() {
        return withGroups("oncall-operator", "keyledger:operator");
    }

    public static String expired(String org) {
        return Jwt.subject("late").audience(AUDIENCE).groups(Set.of("org:" + org + ":admin"))
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(1800)).sign();
    }

    public static String wrongIssuer(String org) {
        return Jwt.issuer("https://evil.example").audience(AUDIENCE).subject("x")
                .groups(Set.of("org:" + org + ":admin")).expiresIn(Duration.ofMinutes(10)).sign();
    }
}
