package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Ledger verification as a job (issue 20 section 5): POST /api/v2/ledger/verifications answers 202
 * with the job, GET follows it to the verdict GET /ledger/verify gives; one job runs at a time
 * across replicas (a running row written by "another replica" is what a second start answers), a
 * job whose replica stopped is failed and a new one can start; unknown ids are a JSON 404.
 */
@QuarkusTest
class LedgerVerificationJobTest {

    @Inject
    Pool pool;

    static String auditor() {
        return Tokens.withGroups("auditor-" + UUID.randomUUID(), "keyledger:auditor");
    }

    static ExtractableResponse<Response> start() {
        return Api.as(auditor()).startVerification().statusCode(202).contentType(ContentType.JSON)
                .body("id", not(emptyOrNullString())).extract();
    }

    static ExtractableResponse<Response> awaitFinished(String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                () -> Api.as(auditor()).verification(id).statusCode(200).body("state", not(equalTo("running"))));
        return Api.as(auditor()).verification(id).statusCode(200).extract();
    }

    @Test
    void start_answers202WithTheJobAndItsLocation_andTheJobEndsWithTheVerifyVerdict() {
        String org = Fixtures.newOrgWithAccounts("svc");
        Fixtures.createKey(org, "svc", "checked by the job");

        var started = start();
        String id = started.path("id");
        assertEquals(Api.VERIFICATIONS + "/" + id, java.net.URI.create(started.header("Location")).getPath(),
                "Location");
        assertEquals("running", started.path("state"));
        assertNull(started.path("result"));

        var done = awaitFinished(id);
        assertEquals("succeeded", done.path("state"), done.asString());
        assertEquals(id, done.path("id"));
        assertNotNull(done.path("started_at"));
        assertNotNull(done.path("finished_at"));
        assertNull(done.path("error"));
        long checked = ((Number) done.path("events_checked")).longValue();
        assertTrue(checked >= 2, "at least the account and key this test wrote: " + done.asString());
        assertEquals(checked, ((Number) done.path("events_total")).longValue(),
                "the total, once done, is what was checked");
        assertEquals(Boolean.TRUE, done.path("result.valid"));
        assertEquals(checked, ((Number) done.path("result.events_checked")).longValue());

        // the same verdict, in the same shape, as the in-request walk (nothing was written in between)
        var verdict = Api.as(auditor()).verifyLedger().statusCode(200).extract();
        assertEquals(verdict.jsonPath().getMap("$"), done.jsonPath().getMap("result"));

        // the job started last is this one (jobs of the other tests in this class end before theirs start), in the
        // same shape as by its id
        var latest = Api.as(auditor()).latestVerification().statusCode(200).extract();
        assertEquals(done.jsonPath().getMap("$"), latest.jsonPath().getMap("$"));
    }

    @Test
    void aStartWhileAnotherReplicasJobRuns_answersThatJob_andANewStartAfterItEndsBeginsAnother() {
        UUID running = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO ledger_verifications (id, state, requested_by, events_checked, events_total)"
                + " VALUES ($1, 'running', 'another-replica', 41, 1000)").execute(Tuple.of(running)).await()
                .indefinitely();
        try {
            var second = start();
            assertEquals(running.toString(), second.path("id"), "a second start gets the running one");
            assertEquals(Api.VERIFICATIONS + "/" + running, java.net.URI.create(second.header("Location")).getPath());
            assertEquals("running", second.path("state"));
            Api.as(auditor()).verification(running).statusCode(200).body("state", equalTo("running"))
                    .body("events_checked", equalTo(41)).body("events_total", equalTo(1000)).body("result", nullValue())
                    .body("finished_at", nullValue());
        } finally {
            pool.preparedQuery("UPDATE ledger_verifications SET state = 'failed', error = 'test' WHERE id = $1")
                    .execute(Tuple.of(running)).await().indefinitely();
        }
        String next = start().path("id");
        assertNotEquals(running.toString(), next);
        assertEquals("succeeded", awaitFinished(next).path("state"));
    }

    @Test
    void aJobWhoseReplicaStoppedBeatingIsFailed_andDoesNotBlockANewOne() {
        UUID abandoned = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO ledger_verifications (id, state, requested_by, started_at, heartbeat_at)"
                + " VALUES ($1, 'running', 'gone-replica', now() - interval '1 hour', now() - interval '1 hour')")
                .execute(Tuple.of(abandoned)).await().indefinitely();
        Api.as(auditor()).verification(abandoned).statusCode(200).body("state", equalTo("failed"))
                .body("error", containsString("start a new one")).body("finished_at", notNullValue())
                .body("result", nullValue());
        String fresh = start().path("id");
        assertNotEquals(abandoned.toString(), fresh);
        assertEquals("succeeded", awaitFinished(fresh).path("state"));
    }

    @Test
    void unknownOrMalformedId_is404Json() {
        for (String id : new String[]{UUID.randomUUID().toString(), "not-a-uuid"}) {
            Api.as(auditor()).verification(id).statusCode(404).contentType(ContentType.JSON).body("message",
                    equalTo("Ledger verification not found"));
        }
    }

    @Test
    void bothNeedTheAuditorGroup() {
        String org = Fixtures.newOrg();
        given().post(Api.VERIFICATIONS).then().statusCode(401).contentType(ContentType.JSON);
        Api.admin(org).startVerification().statusCode(403).contentType(ContentType.JSON).body("message",
                not(emptyOrNullString()));
        String id = UUID.randomUUID().toString();
        given().get(Api.VERIFICATION, id).then().statusCode(401).contentType(ContentType.JSON);
        Api.admin(org).verification(id).statusCode(403).contentType(ContentType.JSON);
        given().get(Api.LATEST_VERIFICATION).then().statusCode(401).contentType(ContentType.JSON);
        Api.admin(org).latestVerification().statusCode(403).contentType(ContentType.JSON);
    }
}
