package io.keyledger.ledger;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.api.orgs.ReportSlots;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The credential report under attack (issue 20, finding 2) and its CSV (findings 9 and 10): a
 * member who opens many reports and never reads them holds no database connection, other orgs
 * keep answering, and each org gets only a few reports at once. In tests a report page is 3 keys
 * ({@code %test.keyledger.report.page-size}), so a report of more keys crosses pages.
 */
@QuarkusTest
class CredentialReportBoundsTest {

    static final int STREAMS = 40;
    static final String IDLE_IN_TRANSACTION = "SELECT count(*) AS held FROM pg_stat_activity"
            + " WHERE datname = current_database() AND state LIKE 'idle in transaction%'";
    /** One quoted cell, then more, nothing outside quotes. */
    static final Pattern ALL_QUOTED = Pattern.compile("\"([^\"]|\"\")*\"(,\"([^\"]|\"\")*\")*");

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    ReportSlots slots;

    @Test
    void reportsHeldOpenOverHttp2WithAZeroWindow_holdNoBackend_areLimitedPerOrg_andOtherOrgsAnswerNormally()
            throws Exception {
        String attacked = Fixtures.newOrg();
        Fixtures.createServiceAccount(attacked, "svc");
        Fixtures.createKey(attacked, "svc", "one");
        Fixtures.createKey(attacked, "svc", "two");
        String bystander = Fixtures.newOrg();
        Fixtures.createServiceAccount(bystander, "svc");
        String bystanderKey = Fixtures.createKey(bystander, "svc", "theirs");

        // h2c with prior knowledge, one connection, and a stream window of 0: the server may send headers, never a body
        AtomicReference<HttpConnection> connection = new AtomicReference<>();
        HttpClient client = zeroWindowClient(connection);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        String token = Tokens.member(attacked);
        try {
            for (int i = 0; i < STREAMS; i++) {
                client.request(HttpMethod.GET, "/api/v2/orgs/" + attacked + "/credential-report")
                        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
                        .onSuccess(response -> {
                            response.pause(); // never read
                            statuses.add(response.statusCode());
                        }).onFailure(failures::add);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.size() + failures.size() == STREAMS);
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(100L, connection.get().remoteSettings().getMaxConcurrentStreams(),
                    "announced MAX_CONCURRENT_STREAMS");
            long streaming = statuses.stream().filter(s -> s == 200).count();
            long refused = statuses.stream().filter(s -> s == 429).count();
            int held = pool.query(IDLE_IN_TRANSACTION).execute().await().atMost(Duration.ofSeconds(30)).iterator()
                    .next().getInteger("held");
            System.out.printf(
                    "held-open reports: %d streams, %d streaming, %d refused, backends idle in transaction: %d%n",
                    STREAMS, streaming, refused, held);
            assertEquals(2, streaming, "reports streaming at once for one org: " + statuses);
            assertEquals(STREAMS - 2, refused, statuses.toString());
            assertEquals(2, slots.running(attacked));
            assertEquals(0, held, "backends idle in transaction while the reports are held open");

            // meanwhile, more requests from another org than the pool has connections, all answered normally
            List<CompletableFuture<Response>> others = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String path = i < 2 ? Api.CREDENTIAL_REPORT : Api.KEYS; // the bystander's own report limit is 2 too
                others.add(CompletableFuture.supplyAsync(() -> i0(path, bystander)));
            }
            for (CompletableFuture<Response> other : others) {
                Response response = other.get(90, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(List.of(bystanderKey), response.jsonPath().getList("id"));
            }
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        // the client went away: its reports end and give their slots back
        await().atMost(Duration.ofSeconds(60)).until(() -> slots.running(attacked) == 0);
        Api.member(attacked).credentialReport().statusCode(200).body("$", hasSize(2));
    }

    /** h2c with prior knowledge on one connection, with a stream window of 0: the server may send headers, never a body. */
    private HttpClient zeroWindowClient(AtomicReference<HttpConnection> connection) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setHttp2MaxPoolSize(1).setHttp2MultiplexingLimit(-1)
                        .setInitialSettings(new io.vertx.core.http.Http2Settings().setInitialWindowSize(0))
                        .setDefaultHost("127.0.0.1").setDefaultPort(RestAssured.port))
                .withConnectHandler(connection::set).build();
    }

    private static Response i0(String path, String org) {
        ValidatableResponse answer = path.equals(Api.CREDENTIAL_REPORT)
                ? Api.member(org).credentialReport()
                : Api.member(org).listKeys("svc");
        return answer.extract().response();
    }

    @Test
    void overTheOrgsLimit_aReportIsAJson429WithRetryAfter() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        Fixtures.createKey(org, "svc", "k1");
        Fixtures.createKey(org, "svc", "k2"); // a report of one key is all written at once; with two, the second waits
        // hold the org's two slots with reports whose clients never read (HTTP/2, zero window)
        HttpClient client = zeroWindowClient(new AtomicReference<>());
        String token = Tokens.member(org);
        try {
            for (int i = 0; i < 2; i++) {
                client.request(HttpMethod.GET, "/api/v2/orgs/" + org + "/credential-report")
                        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
                        .onSuccess(response -> response.pause());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> slots.running(org) == 2);
            for (String accept : new String[]{"application/json", "text/csv"}) {
                Api.member(org).accept(accept).credentialReport().statusCode(429).contentType(ContentType.JSON)
                        .header("Retry-After", "5").body("message",
                                equalTo("Too many credential reports of this org are running; retry after 5 s"));
            }
            // another org is not affected
            String other = Fixtures.newOrg();
            Api.member(other).credentialReport().statusCode(200).body("$", empty());
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> slots.running(org) == 0);
    }

    @Test
    void aReportAcrossPages_hasEveryKeyOnceInOrder_quotesEveryCell_neutralisesFormulasAfterSeparators_andIsNotStored() {
        String org = Fixtures.newOrg();
        Map<String, String> descriptions = Map.of("semicolon", "a;=HYPERLINK(\"http://x\")", "tab", "b\t@SUM(1)",
                "minus", "-2+3", "plus", "+cmd|' /C calc'!A0", "at", "@x", "cr", "\r=1", "plain", "deploys, nightly");
        List<String> accounts = List.of("aa", "bb", "cc");
        int i = 0;
        for (String account : accounts) {
            Fixtures.createServiceAccount(org, account);
        }
        Map<String, String> idsByName = new java.util.HashMap<>();
        for (var entry : new java.util.TreeMap<>(descriptions).entrySet()) {
            String account = accounts.get(i++ % accounts.size());
            String id = Api.admin(org).request().contentType(ContentType.JSON)
                    .body(Map.of("description", entry.getValue())).post(Api.KEYS, org, account).then().statusCode(201)
                    .extract().path("id");
            idsByName.put(entry.getKey(), id);
        }
        // the report's order: by account, then newest first (creation order above is oldest first)
        List<Map<String, Object>> all = Api.admin(org).credentialReport().statusCode(200).extract().jsonPath()
                .getList("$");
        assertEquals(descriptions.size(), all.size(), all.toString());
        assertEquals(descriptions.size(), all.stream().map(k -> k.get("id")).distinct().count(),
                "every key once: " + all);
        for (int k = 1; k < all.size(); k++) {
            String before = (String) all.get(k - 1).get("service_account");
            String after = (String) all.get(k).get("service_account");
            assertTrue(
                    before.compareTo(after) < 0 || before.equals(after) && ((Number) all.get(k - 1).get("created_at"))
                            .doubleValue() >= ((Number) all.get(k).get("created_at")).doubleValue(),
                    "order at " + k + ": " + all);
        }

        String requestId = "report-" + UUID.randomUUID();
        Response csv = Api.member(org).header("X-Request-Id", requestId).accept("text/csv").credentialReport().extract()
                .response();
        csv.then().statusCode(200).header("Cache-Control", "no-store").header("X-Request-Id", requestId);
        String body = csv.asString();
        // a record may hold a quoted CR (the "cr" key): split on the record ends the report writes, CRLF after a quote
        List<String> records = List.of(body.split("(?<=\")\r\n"));
        assertEquals(1 + descriptions.size(), records.size(), body);
        for (String record : records) {
            assertTrue(ALL_QUOTED.matcher(record).matches(), "every cell quoted: " + record);
        }
        assertTrue(body.contains("\"a;'=HYPERLINK(\"\"http://x\"\")\""), body);
        assertTrue(body.contains("\"b\t'@SUM(1)\""), body);
        assertTrue(body.contains("\"'-2+3\""), body);
        assertTrue(body.contains("\"'+cmd|' /C calc'!A0\""), body);
        assertTrue(body.contains("\"'@x\""), body);
        assertTrue(body.contains("\"'\r'=1\""), body);
        assertTrue(body.contains("\"deploys, nightly\""), body);
        assertTrue(body.contains("\"" + idsByName.get("plain") + "\""), body);

        String jsonRequestId = "report-" + UUID.randomUUID();
        Api.member(org).header("X-Request-Id", jsonRequestId).credentialReport().statusCode(200)
                .header("Cache-Control", "no-store").header("X-Request-Id", jsonRequestId)
                .contentType(ContentType.JSON);
        // without a request id of its own, the report gets one like every other answer
        Api.member(org).credentialReport().statusCode(200).header("X-Request-Id", not(emptyOrNullString()));
    }
}
