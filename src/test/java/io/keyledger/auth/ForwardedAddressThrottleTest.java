package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RawHttp;
import io.keyledger.testing.ShiftableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The forwarded-header trust k8s/base/config.env sets (issue 20 section 6), with 127.0.0.31 as the ingress: clients
 * behind it are counted by the address in X-Forwarded-For, each with its own allowance, and a client that connects
 * directly cannot pick an address by sending the header. Junk allowance: 20 a minute in %test; the clock is frozen.
 */
@QuarkusTest
@TestProfile(ForwardedAddressThrottleTest.BehindAnIngress.class)
class ForwardedAddressThrottleTest extends ThrottleTestSupport {

    static final String INGRESS = "127.0.0.31";

    public static class BehindAnIngress extends ConfigOverrides {
        public BehindAnIngress() {
            // the property names of QUARKUS_HTTP_PROXY_* in k8s/base/config.env
            super("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.allow-forwarded", "false", "quarkus.http.proxy.trusted-proxies", INGRESS);
        }
    }

    @Test
    void clientsBehindTheTrustedIngress_eachHaveTheirOwnAllowance() throws Exception {
        ShiftableClock.freeze();
        String org = Fixtures.newOrg();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, get(INGRESS, "198.51.100.1", org, "kl_junk" + i).status());
        }
        assertEquals(429, get(INGRESS, "198.51.100.1", org, "kl_junk-over").status(),
                "198.51.100.1 used its allowance");
        assertEquals(401, get(INGRESS, "198.51.100.2", org, "kl_junk").status(),
                "another client behind the same ingress is not throttled with it");
    }

    @Test
    void aClientConnectingDirectly_cannotChooseItsAddressWithTheHeader() throws Exception {
        ShiftableClock.freeze();
        String org = Fixtures.newOrg();
        for (int i = 0; i < 20; i++) {
            // a fresh forwarded address on every request: ignored, since 127.0.0.32 is no trusted proxy
            assertEquals(401, get("127.0.0.32", "203.0.113." + i, org, "kl_junk" + i).status());
        }
        assertEquals(429, get("127.0.0.32", "203.0.113.99", org, "kl_junk-over").status(),
                "counted by its own address, whatever X-Forwarded-For says");
    }

    private RawHttp.Response get(String from, String forwardedFor, String org, String key) throws Exception {
        return RawHttp.listAccounts(from, base.getPort(), org, key, "X-Forwarded-For: " + forwardedFor);
    }
}
