package io.keyledger.application;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * POST /api/v2/bootstrap with a configured token, against the real service: every refusal, then one success whose
 * key works as an org admin and is recorded as OrgBootstrapped (published, verifiable, without the token), then the
 * token is spent. Ordered: the refusals must leave the bootstrap unused, and the throttle test spends the address's
 * failed-authentication allowance, so it runs last.
 */
@QuarkusTest
@TestProfile(BootstrapProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootstrapTest {

    /** Every log record of the service while these tests run (the root handler sees every logger and thread). */
    static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();

    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    Pool pool;

    @BeforeAll
    static void captureLogs() {
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturing() {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
    }

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    private static String body(String org, String name) {
        return new JsonObject().put("org", org).put("name", name).put("description", "first admin").encode();
    }

    private static ExtractableResponse<Response> bootstrap(String token, String body) {
        return Api.as(token).bootstrap(body).extract();
    }

    private List<Row> bootstrapEvents() {
        return StreamSupport
                .stream(pool.preparedQuery("SELECT event_id::text AS id, stream_version, event_type, schema_version,"
                        + " data::text AS data, metadata::text AS metadata FROM events WHERE stream_id = $1 ORDER BY stream_version")
                        .execute(Tuple.of("bootstrap:" + BootstrapProfile.org())).await().indefinitely().spliterator(),
                        false)
                .toList();
    }

    @Test
    @Order(1)
    void anotherOrg_is403_andSpendsNothing() {
        var refused = bootstrap(BootstrapProfile.token(), body("some-other-org", "admin-bot"));
        assertEquals(403, refused.statusCode());
        assertEquals("The bootstrap token is not for this org", refused.path("message"));
        assertEquals(List.of(), bootstrapEvents());
    }

    @Test
    @Order(2)
    void badBodies_are400_namingTheField() {
        String token = BootstrapProfile.token();
        var missing = bootstrap(token, new JsonObject().put("org", BootstrapProfile.org()).encode());
        assertEquals(400, missing.statusCode());
        assertEquals("Field required", missing.path("errors.name"));
        var badName = bootstrap(token, body(BootstrapProfile.org(), "Not A Name"));
        assertEquals(400, badName.statusCode());
        assertTrue(badName.jsonPath().getMap("errors").containsKey("name"), badName.asString());
        var typo = bootstrap(token, new JsonObject().put("org", BootstrapProfile.org()).put("name", "admin-bot")
                .put("desription", "typo").encode());
        assertEquals(400, typo.statusCode());
        assertTrue(typo.jsonPath().getMap("errors").containsKey("desription"), typo.asString());
        var notJson = bootstrap(token, "{not json");
        assertEquals(400, notJson.statusCode());
        assertFalse(notJson.path("message").toString().isBlank());
        assertEquals(List.of(), bootstrapEvents());
    }

    @Test
    @Order(3)
    void aTakenName_is409_andLeavesTheBootstrapUnused() {
        // a member account made by someone else (not an admin: that would end the bootstrap, see below)
        Fixtures.createServiceAccount(BootstrapProfile.org(), "taken");
        var refused = bootstrap(BootstrapProfile.token(), body(BootstrapProfile.org(), "taken"));
        assertEquals(409, refused.statusCode());
        assertEquals("Service account already exists", refused.path("message"));
        assertEquals(List.of(), bootstrapEvents(), "nothing of a refused bootstrap is stored");
        Api.admin(BootstrapProfile.org()).getAccount("taken").statusCode(200).body("privilege", equalTo("member"));
    }

    @Test
    @Order(4)
    void afterTheWindow_is410() {
        ShiftableClock.shift(Duration.parse(BootstrapProfile.WINDOW).plusMinutes(1));
        var refused = bootstrap(BootstrapProfile.token(), body(BootstrapProfile.org(), "admin-bot"));
        assertEquals(410, refused.statusCode());
        assertEquals("The bootstrap window has passed", refused.path("message"));
        assertEquals(List.of(), bootstrapEvents());
    }

    @Test
    @Order(5)
    void racingBootstraps_makeExactlyOneAdmin_whoseKeyWorksAsOrgAdmin_recordedOnceInTheLedger() throws Exception {
        String org = BootstrapProfile.org();
        String token = BootstrapProfile.token();
        HttpClient http = HttpClient.newHttpClient();
        List<String> requestIds = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String requestId = "bootstrap-" + UUID.randomUUID();
            requestIds.add(requestId);
            racing.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + Api.BOOTSTRAP))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("X-Request-Id", requestId).timeout(Duration.ofSeconds(120))
                            .POST(HttpRequest.BodyPublishers.ofString(body(org, "admin-" + i))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (var answer : racing) {
            answers.add(answer.get());
        }
        List<HttpResponse<String>> created = answers.stream().filter(a -> a.statusCode() == 201).toList();
        assertEquals(1, created.size(), answers.stream().map(a -> a.statusCode() + " " + a.body()).toList().toString());
        for (var other : answers) {
            if (other.statusCode() != 201) {
                assertEquals(410, other.statusCode(), other.body());
                assertEquals("The org was bootstrapped already", new JsonObject(other.body()).getString("message"));
            }
        }
        HttpResponse<String> winner = created.get(0);
        assertEquals("no-store", winner.headers().firstValue("Cache-Control").orElse(null));
        JsonObject answer = new JsonObject(winner.body());
        String key = answer.getString("key");
        String keyId = answer.getString("id");
        String name = answer.getJsonObject("service_account").getString("name");
        String requestId = winner.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(key.startsWith("kl_"), "a key value");
        assertEquals(org, answer.getString("org"));
        assertEquals("admin", answer.getJsonObject("service_account").getString("privilege"));
        assertEquals("first admin", answer.getJsonObject("service_account").getString("description"));
        assertEquals(0L, answer.getLong("expires_at"));
        assertTrue(answer.containsKey("created_at") && answer.containsKey("description"), answer.encode());

        // the key is an org admin's: it creates an account and a key, and lists the org's accounts
        Api.as(key, org).postAccount("{\"name\":\"ci\",\"privilege\":\"member\"}").statusCode(201);
        Api.as(key, org).postKey("ci", "{\"description\":\"deploys\"}").statusCode(201);
        Api.as(key, org).listAccounts().statusCode(200).body("name", hasItems(name, "ci", "taken"));
        // and only in its org
        Api.as(key, "some-other-org").listAccounts().statusCode(403);

        // one OrgBootstrapped, at version 1 of its own stream, naming the account, the key and the request
        List<Row> events = bootstrapEvents();
        assertEquals(1, events.size());
        Row event = events.get(0);
        assertEquals(1, event.getInteger("stream_version"));
        assertEquals("OrgBootstrapped", event.getString("event_type"));
        assertEquals(1, event.getInteger("schema_version"));
        JsonObject data = new JsonObject(event.getString("data"));
        assertEquals(org, data.getString("org"));
        assertEquals(name, data.getString("service_account"));
        assertEquals(keyId, data.getString("key_id"));
        assertEquals(requestId, data.getString("request_id"));
        assertEquals("bootstrap", data.getString("bootstrapped_by"));
        JsonObject actor = new JsonObject().put("type", "bootstrap");
        assertEquals(actor, new JsonObject(event.getString("metadata")).getJsonObject("actor"));
        assertEquals(requestId, new JsonObject(event.getString("metadata")).getString("request_id"));

        // the account's and key's events carry actor bootstrap too; the losers stored nothing
        List<Row> accountEvents = StreamSupport.stream(pool.preparedQuery("SELECT event_type, data::text AS data,"
                + " metadata::text AS metadata FROM events WHERE metadata ->> 'request_id' = $1 AND stream_id <> $2"
                + " ORDER BY position").execute(Tuple.of(requestId, "bootstrap:" + org)).await().indefinitely()
                .spliterator(), false).toList();
        assertEquals(List.of("ServiceAccountCreated", "KeyCreated"),
                accountEvents.stream().map(r -> r.getString("event_type")).toList());
        assertEquals("bootstrap", new JsonObject(accountEvents.get(0).getString("data")).getString("created_by"));
        assertEquals("admin", new JsonObject(accountEvents.get(0).getString("data")).getString("privilege"));
        assertEquals("bootstrap", new JsonObject(accountEvents.get(1).getString("data")).getString("created_by"));
        for (Row row : accountEvents) {
            assertEquals(actor, new JsonObject(row.getString("metadata")).getJsonObject("actor"));
        }
        for (String loser : requestIds) {
            if (!loser.equals(requestId)) {
                assertEquals(0,
                        pool.preparedQuery("SELECT count(*) AS n FROM events WHERE metadata ->> 'request_id' = $1")
                                .execute(Tuple.of(loser)).await().indefinitely().iterator().next().getLong("n"),
                        loser);
            }
        }

        // published on the event topic under its stream, in the documented form
        var published = KafkaTopics.awaitRecords("api-key-events",
                r -> ("bootstrap:" + org).equals(r.key()) && event.getString("id").equals(header(r, "ce_id")),
                seen -> !seen.isEmpty(), Duration.ofSeconds(60)).get(0);
        assertEquals("io.keyledger.OrgBootstrapped.v1", header(published, "ce_type"));
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
                Files.readString(Path.of("src/main/asyncapi/schemas/OrgBootstrapped.v1.json")), InputFormat.JSON);
        assertEquals(List.of(), schema.validate(published.value(), InputFormat.JSON), published.value());

        // the log still verifies
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));

        // neither the token nor the key is anywhere in the log, nor in what the service logged
        assertEquals(0L,
                pool.preparedQuery("SELECT count(*) AS n FROM events WHERE data::text LIKE $1 OR metadata::text LIKE $1"
                        + " OR data::text LIKE $2 OR metadata::text LIKE $2")
                        .execute(Tuple.of("%" + token + "%", "%" + key + "%")).await().indefinitely().iterator().next()
                        .getLong("n"));
        assertTrue(LOGGED.stream().anyMatch(r -> formatted(r).contains("Org " + org + " bootstrapped")),
                "the capture sees the service's log");
        for (LogRecord record : LOGGED) {
            String line = formatted(record) + (record.getThrown() == null ? "" : record.getThrown().toString());
            assertFalse(line.contains(token), "token logged: " + record.getLoggerName());
            assertFalse(line.contains(key), "key logged: " + record.getLoggerName());
        }
    }

    private static String formatted(LogRecord record) {
        String message = record.getMessage() == null ? "" : record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters == null || parameters.length == 0) {
            return message;
        }
        try {
            return String.format(message, parameters) + " " + java.util.Arrays.toString(parameters);
        } catch (RuntimeException e) {
            return message + " " + java.util.Arrays.toString(parameters);
        }
    }

    @Test
    @Order(6)
    void aSecondUse_is410_evenWithANewName() {
        var refused = bootstrap(BootstrapProfile.token(), body(BootstrapProfile.org(), "another-admin"));
        assertEquals(410, refused.statusCode());
        assertEquals("The org was bootstrapped already", refused.path("message"));
        assertEquals(1, bootstrapEvents().size());
        Api.admin(BootstrapProfile.org()).getAccount("another-admin").statusCode(404);
    }

    @Test
    @Order(7)
    void wrongTokens_are401_thenEveryToken_is429_withRetryAfter() {
        ShiftableClock.freeze(); // the allowance cannot refill while this runs
        String org = BootstrapProfile.org();
        given().contentType(ContentType.JSON).body(body(org, "x")).post(Api.BOOTSTRAP).then().statusCode(401)
                .header("WWW-Authenticate", notNullValue()).body("message", equalTo("Invalid bootstrap token"));
        String wrong = BootstrapProfile.token().substring(1) + "x";
        int refused = 1;
        ExtractableResponse<Response> last = bootstrap(wrong, body(org, "x"));
        while (last.statusCode() == 401 && refused < 100) {
            assertEquals("Invalid bootstrap token", last.path("message"));
            refused++;
            last = bootstrap(wrong, body(org, "x"));
        }
        assertEquals(429, last.statusCode(), last.asString());
        assertTrue(refused > 1, "at least one wrong token was refused with 401 before the throttle");
        assertTrue(Long.parseLong(last.header("Retry-After")) >= 1);
        assertTrue(last.path("message").toString().startsWith("Too many failed authentications"));
        // throttled, even the right token gets no answer about itself
        Api.as(BootstrapProfile.token()).bootstrap(body(org, "x")).statusCode(429).header("Retry-After", notNullValue())
                .body("$", hasKey("message"));
    }
}
