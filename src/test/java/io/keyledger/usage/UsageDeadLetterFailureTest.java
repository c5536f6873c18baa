package io.keyledger.usage;

import static io.keyledger.testing.KafkaTopics.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A dead-letter send that fails must not stop the usage channel. Here the DLQ refuses the record
 * (over its 16 KiB limit in %test): it is dead-lettered truncated, and usage after it still applies.
 */
@QuarkusTest
class UsageDeadLetterFailureTest {

    static final String TOPIC = "authentication-usage";

    @Test
    void aRecordTheDlqCannotTake_isDeadLetteredTruncated_andLaterUsageStillApplies() {
        String org = Fixtures.newOrgWithAccounts("user");
        String keyId = Fixtures.createKey(org, "user", "after a huge poison record");
        String poisonKey = "huge-" + UUID.randomUUID();
        String huge = "{not json " + "x".repeat(40_000);
        long now = System.currentTimeMillis() / 1000 - 5;
        KafkaTopics.send(TOPIC, List.<String[]>of(new String[]{poisonKey, huge}));
        KafkaTopics.send(TOPIC,
                List.<String[]>of(new String[]{keyId, "{\"key_id\":\"" + keyId + "\",\"used_at\":" + now + "}"}));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                () -> Api.admin(org).getKey("user", keyId).statusCode(200).body("last_used_at", notNullValue()));
        var dead = KafkaTopics.awaitRecords(TOPIC + ".dlq", r -> poisonKey.equals(r.key()), seen -> !seen.isEmpty(),
                Duration.ofSeconds(60));
        assertEquals("true", header(dead.get(0), "dlq-truncated"));
        assertEquals(UsageConsumer.TRUNCATED_BYTES, dead.get(0).value().length());
        assertEquals("malformed JSON", header(dead.get(0), UsageConsumer.REASON_HEADER));
    }
}
