package io.keyledger.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * A real OIDC provider for the console's sign-in test: NAV's mock-oauth2-server (Maven Central) on a free local port,
 * issuing, for the authorization code grant, RS256 access tokens with {@code aud: keyledger} and the groups claim.
 * The service under test trusts exactly this issuer and its JWKS, and the console is configured with its discovery
 * URL and a public client id.
 */
public class OidcProvider implements QuarkusTestResourceLifecycleManager {

    static final String ISSUER_ID = "console";
    static final String CLIENT_ID = "keyledger-console";
    static final String ORG = "oidc-console";
    static final String SUBJECT = "oidc-person";

    private static final String CONFIG = """
            {
              "interactiveLogin": false,
              "tokenCallbacks": [{
                "issuerId": "%s",
                "tokenExpiry": 600,
                "requestMappings": [{
                  "requestParam": "grant_type",
                  "match": "authorization_code",
                  "claims": {"sub": "%s", "aud": ["keyledger"], "groups": ["org:%s:admin"]}
                }]
              }]
            }
            """.formatted(ISSUER_ID, SUBJECT, ORG);

    private MockOAuth2Server server;

    @Override
    public Map<String, String> start() {
        server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(CONFIG));
        server.start();
        return Map.of("mp.jwt.verify.publickey.location", server.jwksUrl(ISSUER_ID).toString(), "mp.jwt.verify.issuer",
                server.issuerUrl(ISSUER_ID).toString(), "keyledger.console.oidc.discovery-url",
                server.wellKnownUrl(ISSUER_ID).toString(), "keyledger.console.oidc.client-id", CLIENT_ID);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdown();
        }
    }
}
