package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Api;
import io.keyledger.testing.OneAccountTest;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyCreateTest extends OneAccountTest {

    @Inject
    Pool pool;

    ApiKeyCreateTest() {
        super("ci-bot");
    }

    private void assertFieldError(String body, String field) {
        postKey(body).statusCode(400).contentType(ContentType.JSON).body("message", equalTo("Invalid request body"))
                .body("errors." + field, not(emptyOrNullString()));
    }

    @Test
    void create_returns201_withKeyShownOnce_andGetReturnsIt() {
        long expiresAt = System.currentTimeMillis() / 1000 + 3600;
        var created = postKey("{\"description\":\"deploys\",\"expires_at\":" + expiresAt + "}").statusCode(201)
                .contentType(ContentType.JSON).body("id", not(emptyString()))
                .body("key", matchesPattern("kl_[0-9A-Za-z]{36}")).body("description", equalTo("deploys"))
                .body("created_at", isA(Float.class)).body("expires_at", equalTo((int) expiresAt)).extract();
        String id = created.path("id");
        String raw = created.asString();
        assertTrue(raw.matches(".*\"created_at\":\\d{10}\\.\\d{6}[,}].*"), raw);
        assertTrue(raw.matches(".*\"expires_at\":\\d+[,}].*"), raw);

        Api.member(org).getKey("ci-bot", id).statusCode(200).body("id", equalTo(id))
                .body("description", equalTo("deploys")).body("expires_at", equalTo((int) expiresAt))
                .body("$", hasKey("last_used_at")).body("last_used_at", nullValue()).body("$", not(hasKey("key")));
    }

    @Test
    void create_storesOnlyTheHash_neverTheKeyValue() {
        String key = postKey("{\"description\":\"secret check\"}").statusCode(201).extract().path("key");
        long hits = pool.preparedQuery(
                """
                        SELECT (SELECT count(*) FROM events WHERE data::text LIKE '%' || $1 || '%' OR metadata::text LIKE '%' || $1 || '%')
                             + (SELECT count(*) FROM api_keys WHERE key_hash = $1 OR description LIKE '%' || $1 || '%') AS hits""")
                .execute(Tuple.of(key)).await().indefinitely().iterator().next().getLong("hits");
        assertEquals(0, hits, "the key value must not be stored anywhere");
        long hashed = pool
                .preparedQuery("SELECT count(*) AS n FROM api_keys WHERE org = $1 AND key_hash ~ '^[0-9a-f]{64}$'")
                .execute(Tuple.of(org)).await().indefinitely().iterator().next().getLong("n");
        assertEquals(1, hashed);
    }

    @Test
    void create_appendsKeyCreatedEvent_withActorAndRequestId() {
        String id = Api.admin(org).header("X-Request-Id", "req-123").postKey("ci-bot", "{\"description\":\"audited\"}")
                .statusCode(201).header("X-Request-Id", "req-123").extract().path("id");
        var row = pool.preparedQuery("""
                SELECT event_type, schema_version, stream_id, stream_version, data, metadata
                  FROM events WHERE data->>'id' = $1""").execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertEquals("KeyCreated", row.getString("event_type"));
        assertEquals(2, row.getInteger("schema_version"));
        // the test profile sets the single pepper of earlier releases: its id is p0
        assertEquals("p0", row.getJsonObject("data").getString("pepper_id"));
        assertEquals("service-account:" + org + ":ci-bot", row.getString("stream_id"));
        assertEquals(2, row.getInteger("stream_version"));
        assertEquals(new io.vertx.core.json.JsonObject().put("type", "user").put("subject", "admin-of-" + org),
                row.getJsonObject("metadata").getJsonObject("actor"));
        assertEquals("req-123", row.getJsonObject("metadata").getString("request_id"));
        assertEquals("audited", row.getJsonObject("data").getString("description"));
    }

    @Test
    void create_treatsOmittedNullAndZeroExpiry_asNever() {
        postKey("{\"description\":\"a\"}").statusCode(201).body("expires_at", equalTo(0));
        postKey("{\"description\":\"b\",\"expires_at\":null}").statusCode(201).body("expires_at", equalTo(0));
        postKey("{\"description\":\"c\",\"expires_at\":0}").statusCode(201).body("expires_at", equalTo(0));
    }

    @Test
    void create_refusesUnknownFields_soClientCannotSetIdKeyOrCreatedAt() {
        // issue 21 §6: strict by default (UnknownFieldsIgnoredTest covers keyledger.api.unknown-fields=ignore)
        postKey("{\"description\":\"d\",\"id\":\"mine\",\"key\":\"kl_chosen\",\"created_at\":1,\"colour\":\"red\"}")
                .statusCode(400).body("message", equalTo("Unknown fields: id, key, created_at, colour"))
                .body("errors.keySet()", containsInAnyOrder("id", "key", "created_at", "colour"));
    }

    @Test
    void create_returns400_whenExpiresAtIsInThePast() {
        long past = System.currentTimeMillis() / 1000 - 10;
        postKey("{\"description\":\"x\",\"expires_at\":" + past + "}").statusCode(400)
                .body("message", equalTo("expires_at cannot be in the past")).body("$", not(hasKey("errors")));
        postKey("{\"description\":\"x\",\"expires_at\":-5}").statusCode(400).body("message",
                equalTo("expires_at cannot be in the past"));
    }

    @Test
    void create_returns400WithFieldErrors_forEveryInvalidBody() {
        assertFieldError("{}", "description");
        assertFieldError("{\"description\":\"\"}", "description");
        assertFieldError("{\"description\":\"   \"}", "description");
        assertFieldError("{\"description\":null}", "description");
        assertFieldError("{\"description\":\"" + "x".repeat(257) + "\"}", "description");
        assertFieldError("{\"description\":42}", "description");
        assertFieldError("{\"description\":[\"a\"]}", "description");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":\"tomorrow\"}", "expires_at");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":1.5}", "expires_at");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":true}", "expires_at");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":4102444801}", "expires_at");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":99999999999999999999999999}", "expires_at");
        assertFieldError("{\"description\":\"ok\",\"expires_at\":1e400}", "expires_at");
        assertFieldError("{\"description\": \"unterminated", "body");
        assertFieldError("[{\"description\":\"a\"}]", "body");
        assertFieldError("\"just a string\"", "body");
        assertFieldError("{\"description\":\"a\"} trailing", "body");
        assertFieldError("{\"description\":\"a\",\"description\":\"b\"}", "body");
        assertFieldError("", "body");
    }

    @Test
    void create_reportsEveryBadFieldAtOnce() {
        postKey("{\"description\":7,\"expires_at\":\"soon\"}").statusCode(400)
                .body("errors.description", not(emptyOrNullString()))
                .body("errors.expires_at", not(emptyOrNullString()));
    }

    @Test
    void create_acceptsDescriptionOf256Characters_andLatestAllowedExpiry() {
        postKey("{\"description\":\"" + "y".repeat(256) + "\",\"expires_at\":4102444800}").statusCode(201)
                .body("expires_at", equalTo(4102444800L));
    }

    @Test
    void create_returns400_whenBodyIsLargerThanTheLimit() {
        String big = "{\"description\":\"ok\",\"padding\":\"" + "p".repeat(17_000) + "\"}";
        postKey(big).statusCode(400).body("errors.body", containsString("larger than"));
    }

    @Test
    void create_returns415AsJson_forNonJsonContentType() {
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.TEXT).body("description=x")
                .post(Api.KEYS, org, "ci-bot").then().statusCode(415).contentType(ContentType.JSON)
                .body("message", not(emptyOrNullString()));
    }

    @Test
    void create_returns404_whenServiceAccountMissing() {
        Api.admin(org).postKey("nobody", "{\"description\":\"x\"}").statusCode(404).body("message",
                equalTo("Service account not found"));
        Api.admin(org).postKey("Not:Valid", "{\"description\":\"x\"}").statusCode(404).body("message",
                equalTo("Service account not found"));
    }
}
