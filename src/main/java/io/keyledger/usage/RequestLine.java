package io.keyledger.usage;

/**
 * The request a key was used for, as the usage record carries it: the method and the URI's path. The query string
 * and fragment are left out on purpose: upstreams put tokens and personal data there, and the record is kept in Kafka.
 */
public record RequestLine(String method, String uri) {

    /** Longer paths are cut: a usage record stays small whatever a client sends. */
    static final int MAX_PATH_LENGTH = 1024;

    public RequestLine {
        method = method == null || method.isBlank() ? null : method.trim();
        uri = uri == null ? null : withoutQuery(uri);
    }

    private static String withoutQuery(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String path = uri.substring(0, Math.min(end, MAX_PATH_LENGTH)).trim();
        return path.isEmpty() ? null : path;
    }
}
