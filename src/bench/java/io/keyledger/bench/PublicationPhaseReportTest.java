package io.keyledger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpConnectTimeoutException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 §9: the bench's open-loop publication phase. A run where most creates failed (7,371 of 10,000 with
 * connect time-outs) was printed as a lag result; now the table says FAILED with the count and the causes.
 */
class PublicationPhaseReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPhaseWhereMostCreatesFailed_isMarkedFailed_withItsCauses_andNoLagFigure() throws Exception {
        JsonNode phase = JSON.readTree("""
                {"phase":"publication_lag","target_rate":500,"achieved_send_rate":498.2,"attempted":10000,
                 "created":2629,"failed":7371,"status":"%s",
                 "failure_causes":{"HTTP 503":371,"HttpConnectTimeoutException":7000},
                 "create_latency":{"p50_ms":12.0,"p99_ms":80.0},
                 "observed_lag":{"count":2629,"p50_ms":9.0,"p99_ms":41.0,"max_ms":60.0,"missing":0}}
                """.formatted(BenchClient.phaseStatus(10_000, 7_371)));

        List<String> rows = BenchReport.publicationLines(phase);

        assertEquals(1, rows.size(), rows::toString);
        String row = rows.get(0);
        assertTrue(row.contains("FAILED at 500 creates/s"), row);
        assertTrue(row.contains("7,371 of 10,000 creates failed (HTTP 503 371, HttpConnectTimeoutException 7,000)"),
                row);
        assertFalse(row.contains("p99"), "no lag figure from a failed phase: " + row);
        assertTrue(BenchReport.publicationFailed(phase));
    }

    @Test
    void aPhaseFileWithoutStatus_isJudgedFromItsCounts() throws Exception {
        JsonNode old = JSON.readTree(
                """
                        {"target_rate":500,"created":2629,"failed":7371,"first_failure":"java.net.http.HttpConnectTimeoutException: HTTP connect timed out",
                         "observed_lag":{"p99_ms":41.0}}""");
        assertTrue(BenchReport.publicationFailed(old));
        assertTrue(
                BenchReport.publicationLines(old).get(0)
                        .contains("7,371 of 10,000 creates failed (first: java.net.http"),
                BenchReport.publicationLines(old)::toString);
    }

    @Test
    void aPhaseWithSomeFailures_printsItsLag_andTheFailuresBesideIt() throws Exception {
        JsonNode phase = JSON.readTree("""
                {"target_rate":500,"achieved_send_rate":500,"attempted":10000,"created":9990,"failed":10,"status":"%s",
                 "failure_causes":{"HTTP 503":10},
                 "observed_lag":{"count":9990,"p50_ms":9.0,"p99_ms":41.0,"max_ms":60.0,"missing":0}}
                """.formatted(BenchClient.phaseStatus(10_000, 10)));
        List<String> rows = BenchReport.publicationLines(phase);
        assertFalse(BenchReport.publicationFailed(phase));
        assertTrue(rows.get(0).contains("p99 41.0 ms"), rows::toString);
        assertTrue(rows.get(1).contains("10 of 10,000 creates failed (HTTP 503 10)"), rows::toString);
    }

    @Test
    void aFailureIsCountedByItsCause() {
        assertEquals("HttpConnectTimeoutException", BenchClient.failureCause(null,
                new CompletionException(new HttpConnectTimeoutException("HTTP connect timed out"))));
        assertEquals("FAILED", BenchClient.phaseStatus(0, 0));
        assertEquals("ok", BenchClient.phaseStatus(10, 5));
        assertEquals("FAILED", BenchClient.phaseStatus(10, 6));
    }
}
