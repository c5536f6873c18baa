package io.keyledger.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * Some of everything an operator's dashboard shows, through the real API: an account, keys, a request
 * authenticated with a key (so a usage record goes through Kafka to the usage consumer), verifications that
 * hit and miss the caches, and a request that ends in a 4xx. Waits until the relay has published.
 */
public final class Traffic {

    private Traffic() {
    }

    public static void some() {
        String org = Fixtures.newOrgWithAccounts("observed");
        String key = Api.admin(org).createKey("observed", "{\"description\":\"dashboard\"}").value();
        Fixtures.createKey(org, "observed", "second");
        Api gateway = Api.as(Tokens.withGroups("dashboard-gateway", "keyledger:verifier"));
        for (int i = 0; i < 3; i++) {
            // first a miss (database lookup), then cache hits
            gateway.verify("{\"key\":\"" + key + "\"}").statusCode(200);
        }
        gateway.verify("{\"key\":\"not-a-key\"}").statusCode(200);
        Api.as(key, org).getAccount("observed").statusCode(200);
        Api.admin(org).getAccount("missing").statusCode(404);
        await().atMost(Duration.ofSeconds(60)).until(() -> Management.metrics().lines()
                .anyMatch(l -> l.startsWith("keyledger_relay_events_published_total") && !l.endsWith(" 0.0")));
    }
}
