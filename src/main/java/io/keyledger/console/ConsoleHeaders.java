package io.keyledger.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The headers of every {@code /console} response: a strict Content-Security-Policy (no inline script or style, no
 * eval, fetches only to this origin and the OIDC issuer), no framing, no referrer, no content sniffing.
 */
final class ConsoleHeaders {

    private ConsoleHeaders() {
    }

    static Map<String, String> of(ConsoleConfig.Oidc oidc) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", contentSecurityPolicy(issuerOrigins(oidc)));
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Content-Type-Options", "nosniff");
        return Map.copyOf(headers);
    }

    static String contentSecurityPolicy(Set<String> issuerOrigins) {
        String issuers = issuerOrigins.stream().map(origin -> " " + origin).reduce("", String::concat);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + issuers + "; base-uri 'none'; form-action 'self'" + issuers + "; frame-ancestors 'none'";
    }

    /** The discovery URL's origin and the extra ones, each as scheme://host[:port]. */
    static Set<String> issuerOrigins(ConsoleConfig.Oidc oidc) {
        Set<String> origins = new LinkedHashSet<>();
        oidc.discoveryUrl().map(ConsoleHeaders::origin).ifPresent(origins::add);
        oidc.extraOrigins().ifPresent(extra -> extra.stream().map(ConsoleHeaders::origin).forEach(origins::add));
        return origins;
    }

    static String origin(String url) {
        URI uri = URI.create(url.strip());
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("keyledger.console.oidc: not an absolute URL: " + url);
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + port;
    }
}
