package io.keyledger.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The console for people at {@code /console/} (docs/console.md). */
@ConfigMapping(prefix = "keyledger.console")
public interface ConsoleConfig {

    /** Off: every {@code /console} path answers 404. */
    @WithDefault("true")
    boolean enabled();

    Oidc oidc();

    /** OIDC sign-in (authorization code + PKCE, in the browser); without both values only the paste sign-in. */
    interface Oidc {

        /** The issuer's {@code /.well-known/openid-configuration}, fetched by the browser. */
        Optional<String> discoveryUrl();

        /** The console's public client id at that issuer. */
        Optional<String> clientId();

        /**
         * Origins besides the discovery URL's that the browser must reach (an issuer whose token endpoint lives on
         * another host); they join {@code connect-src} and {@code form-action}.
         */
        Optional<List<String>> extraOrigins();
    }
}
