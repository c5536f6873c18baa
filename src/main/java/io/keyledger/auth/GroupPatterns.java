package io.keyledger.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How an identity provider's group names read as keyledger's permissions. Each pattern is literal text around one
 * placeholder: {@code org:{org}:admin}, {@code org:{org}:member} and {@code keyledger:{role}} by default, or for
 * example {@code /keyledger/{org}/admin} for Keycloak's full group paths. A token's groups are translated once, when
 * it is verified, into keyledger's own names ({@code org:<org>:admin}, {@code org:<org>:member},
 * {@code keyledger:<role>}); a group that matches no pattern grants nothing, so with non-default patterns a
 * default-shaped group is no longer a second way in.
 *
 * <p>Matching is exact, case included: orgs are case-sensitive names in keyledger's paths and events, and folding case
 * would make the admins of {@code Acme} the admins of {@code acme}. Patterns that could both match one group are
 * refused at start, so a group never means two things.
 */
public final class GroupPatterns {

    /** The service-wide roles a role pattern can grant; any other name in its place grants nothing. */
    public static final Set<String> ROLES = Set.of("verifier", "auditor", "scanner", "operator");

    static final String ORG = "{org}";
    static final String ROLE = "{role}";

    /** A pattern split at its placeholder. */
    record Pattern(String setting, String text, String prefix, String suffix) {

        /** What the placeholder stands for in {@code group}, or null when the group does not have this shape. */
        String match(String group) {
            if (group.length() <= prefix.length() + suffix.length() || !group.startsWith(prefix)
                    || !group.endsWith(suffix)) {
                return null;
            }
            String value = group.substring(prefix.length(), group.length() - suffix.length());
            // a '/' would let /keyledger/a/b/admin name org "a/b"; whitespace and controls are never a name
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    return null;
                }
            }
            return value;
        }

        /** Whether some group can match both this pattern and {@code other} (two org patterns: any org can be in either). */
        boolean overlaps(Pattern other) {
            boolean prefixes = prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix);
            boolean suffixes = suffix.endsWith(other.suffix) || other.suffix.endsWith(suffix);
            return prefixes && suffixes;
        }
    }

    public static final String ADMIN_SETTING = "KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN";
    public static final String MEMBER_SETTING = "KEYLEDGER_AUTH_MEMBER_GROUP_PATTERN";
    public static final String ROLE_SETTING = "KEYLEDGER_AUTH_ROLE_GROUP_PATTERN";

    public static final String DEFAULT_ADMIN = "org:{org}:admin";
    public static final String DEFAULT_MEMBER = "org:{org}:member";
    public static final String DEFAULT_ROLE = "keyledger:{role}";

    private final Pattern admin;
    private final Pattern member;
    private final Pattern role;

    private GroupPatterns(Pattern admin, Pattern member, Pattern role) {
        this.admin = admin;
        this.member = member;
        this.role = role;
    }

    public static GroupPatterns defaults() {
        return of(DEFAULT_ADMIN, DEFAULT_MEMBER, DEFAULT_ROLE);
    }

    /**
     * The patterns, or an {@link IllegalArgumentException} whose message names each setting that is wrong and why, for
     * the start to fail with.
     */
    public static GroupPatterns of(String admin, String member, String role) {
        List<String> problems = new ArrayList<>();
        Pattern a = parse(ADMIN_SETTING, admin, ORG, ROLE, problems);
        Pattern m = parse(MEMBER_SETTING, member, ORG, ROLE, problems);
        Pattern r = parse(ROLE_SETTING, role, ROLE, ORG, problems);
        if (problems.isEmpty()) {
            overlap(a, m, problems);
            roleOverlap(r, a, problems);
            roleOverlap(r, m, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("keyledger cannot start: " + String.join("; ", problems));
        }
        return new GroupPatterns(a, m, r);
    }

    private static Pattern parse(String setting, String text, String placeholder, String foreign,
            List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add(setting + " is empty; it must contain " + placeholder + " exactly once (for example "
                    + (placeholder.equals(ORG) ? DEFAULT_ADMIN : DEFAULT_ROLE) + ")");
            return null;
        }
        int first = text.indexOf(placeholder);
        if (first < 0 || text.indexOf(placeholder, first + 1) >= 0) {
            problems.add(setting + " must contain " + placeholder + " exactly once: \"" + text + "\"");
            return null;
        }
        if (text.contains(foreign)) {
            problems.add(setting + " must not contain " + foreign + ": \"" + text + "\"");
            return null;
        }
        if (text.length() == placeholder.length()) {
            problems.add(setting + " needs literal text around " + placeholder
                    + " (alone it would make every group a grant): \"" + text + "\"");
            return null;
        }
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problems.add(setting + " must not contain whitespace: \"" + text + "\"");
            return null;
        }
        return new Pattern(setting, text, text.substring(0, first), text.substring(first + placeholder.length()));
    }

    private static void overlap(Pattern one, Pattern other, List<String> problems) {
        if (one.overlaps(other)) {
            problems.add(one.setting() + " (\"" + one.text() + "\") and " + other.setting() + " (\"" + other.text()
                    + "\") can both match one group; give them different literal text before or after the placeholder");
        }
    }

    /** Role groups are few (one per role), so whether an org pattern also matches one of them is checked exactly. */
    private static void roleOverlap(Pattern role, Pattern org, List<String> problems) {
        for (String name : ROLES.stream().sorted().toList()) {
            String group = role.prefix() + name + role.suffix();
            if (org.match(group) != null) {
                problems.add(role.setting() + " (\"" + role.text() + "\") and " + org.setting() + " (\"" + org.text()
                        + "\") both match the group \"" + group + "\"; give them different literal text");
                return;
            }
        }
    }

    /** keyledger's own names for the groups a verified token carries; groups of no pattern's shape are dropped. */
    public Set<String> translate(Set<String> groups) {
        Set<String> granted = new HashSet<>();
        for (String group : groups) {
            if (group == null) {
                continue;
            }
            String org = admin.match(group);
            if (org != null) {
                granted.add("org:" + org + ":admin");
            }
            org = member.match(group);
            if (org != null) {
                granted.add("org:" + org + ":member");
            }
            String name = role.match(group);
            if (name != null && ROLES.contains(name)) {
                granted.add("keyledger:" + name);
            }
        }
        return Set.copyOf(granted);
    }
}
