package io.keyledger.serviceaccount;

import java.util.regex.Pattern;

/**
 * The naming rule for orgs and service accounts: 1 to 64 characters, lower-case letters,
 * digits, '-' and '_', starting with a letter or digit. Keeping ':' and '/' out means a name
 * can never break a stream id or a URL path.
 */
public final class ServiceAccountNames {

    public static final String RULE = "1 to 64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit";
    /** The rule as a regular expression: request validation and the OpenAPI document use this one. */
    public static final String PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private ServiceAccountNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** The event stream that holds one service account and all its keys. */
    public static String streamId(String org, String name) {
        return "service-account:" + org + ":" + name;
    }
}
