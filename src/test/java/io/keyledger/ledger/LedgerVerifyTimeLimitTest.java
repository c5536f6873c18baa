package io.keyledger.ledger;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * A log the in-request walk cannot finish within its time limit (a limit of 1 ns here, so any log is
 * too long): GET /ledger/verify answers a JSON 503 that names the job, instead of holding the
 * connection until the idle timeout closes it, and the job verifies the same log.
 */
@QuarkusTest
@TestProfile(LedgerVerifyTimeLimitTest.NoTime.class)
class LedgerVerifyTimeLimitTest {

    public static class NoTime extends ConfigOverrides {
        public NoTime() {
            super("keyledger.ledger.verify-time-limit", "PT0.000000001S");
        }
    }

    @Test
    void verify_overItsTimeLimit_answers503NamingTheJob_andTheJobVerifiesTheLog() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String auditor = Tokens.auditor();

        Api.as(auditor).verifyLedger().statusCode(503).contentType(ContentType.JSON)
                .body("message", containsString("POST /api/v2/ledger/verifications")).body("$", not(hasKey("valid")));
        // later calls are answered the same way (not "busy"): each stopped walk let its slot go
        for (int i = 0; i < 3; i++) {
            Api.as(auditor).verifyLedger().statusCode(503).body("message", containsString("too long to verify"));
        }

        String id = Api.as(auditor).startVerification().statusCode(202).extract().path("id");
        var done = LedgerVerificationJobTest.awaitFinished(id);
        assertEquals("succeeded", done.path("state"), done.asString());
        assertEquals(Boolean.TRUE, done.path("result.valid"));
    }
}
