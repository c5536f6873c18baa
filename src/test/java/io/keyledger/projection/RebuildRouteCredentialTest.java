package io.keyledger.projection;

import static io.keyledger.testing.KafkaTopics.header;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.keyledger.api.ProjectionRebuildRoute;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Management;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The rebuild route on the management port is an operation, not an open door: without a valid JWT it answers a JSON
 * 401, without group keyledger:operator a JSON 403, and nothing is rebuilt or recorded; an operator's rebuild is
 * recorded as ProjectionsRebuilt in stream operations, with the operator as actor, and published like every event.
 */
@QuarkusTest
class RebuildRouteCredentialTest {

    static final String OPERATIONS_EVENTS = "SELECT stream_version, event_type, schema_version, data::text AS data,"
            + " metadata::text AS metadata FROM events WHERE stream_id = 'operations' ORDER BY stream_version";

    @Inject
    Pool pool;

    private static String rebuildUrl() {
        return Management.root().replaceFirst("/q/?$", "") + ProjectionRebuildRoute.PATH;
    }

    private List<Row> operationsEvents() {
        return StreamSupport.stream(pool.query(OPERATIONS_EVENTS).execute().await().indefinitely().spliterator(), false)
                .toList();
    }

    @Test
    void rebuild_answers401_withoutAValidJwt_and403_withoutTheOperatorGroup_andRecordsNothing() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String apiKey = Api.admin(org).createKey("svc", "{\"description\":\"k\"}").value();
        int recorded = operationsEvents().size();

        Management.given().post(rebuildUrl()).then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", "Bearer realm=\"keyledger\"")
                .body("message", equalTo("Authentication required: send a bearer token"));
        for (String invalid : List.of("not-a-jwt", Tokens.expired(org), Tokens.wrongIssuer(org), apiKey)) {
            Management.given().auth().oauth2(invalid).post(rebuildUrl()).then().statusCode(401)
                    .contentType("application/json").header("WWW-Authenticate", "Bearer realm=\"keyledger\"")
                    .body("message", equalTo("Invalid or expired credentials"));
        }
        // an API key as Basic user name is no JWT either
        Management.given().auth().preemptive().basic(apiKey, "").post(rebuildUrl()).then().statusCode(401)
                .contentType("application/json");
        for (String noOperator : List.of(Tokens.admin(org), Tokens.auditor(),
                Tokens.withGroups("verifier", "keyledger:verifier"),
                Tokens.withGroups("scanner", "keyledger:scanner"))) {
            Management.given().auth().oauth2(noOperator).post(rebuildUrl()).then().statusCode(403)
                    .contentType("application/json")
                    .body("message", equalTo("You don't have permission to access this resource"));
        }

        assertEquals(recorded, operationsEvents().size(), "a refused request rebuilds and records nothing");
    }

    @Test
    void anOperatorsRebuild_isRecordedAsProjectionsRebuilt_withTheOperatorAsActor_andPublished() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        String key = Fixtures.createKey(org, "svc", "k");
        int before = operationsEvents().size();
        String requestId = "rebuild-" + UUID.randomUUID();

        long events = ((Number) Management.given().auth().oauth2(Tokens.operator()).header("X-Request-Id", requestId)
                .post(rebuildUrl()).then().statusCode(200).contentType("application/json")
                .header("X-Request-Id", requestId).extract().path("events")).longValue();

        List<Row> recorded = operationsEvents();
        assertEquals(before + 1, recorded.size(), "one event per rebuild");
        Row event = recorded.get(recorded.size() - 1);
        assertEquals(before + 1, event.getInteger("stream_version"));
        assertEquals("ProjectionsRebuilt", event.getString("event_type"));
        assertEquals(1, event.getInteger("schema_version"));
        JsonObject data = new JsonObject(event.getString("data"));
        assertEquals("oncall-operator", data.getString("rebuilt_by"));
        assertEquals(events, data.getLong("events"), "what the rebuild did, as it answered");
        assertTrue(data.getInteger("batches") >= 1, data.encode());
        assertTrue(data.getLong("duration_ms") >= 0, data.encode());
        JsonObject metadata = new JsonObject(event.getString("metadata"));
        assertEquals(new JsonObject().put("type", "user").put("subject", "oncall-operator"),
                metadata.getJsonObject("actor"));
        assertEquals(requestId, metadata.getString("request_id"));

        // published on the event topic under key "operations", in the documented form
        String ceId = pool.preparedQuery(
                "SELECT event_id::text AS id FROM events WHERE stream_id = 'operations' AND stream_version = $1")
                .execute(Tuple.of(before + 1)).await().indefinitely().iterator().next().getString("id");
        var published = KafkaTopics
                .awaitRecords("api-key-events", r -> "operations".equals(r.key()) && ceId.equals(header(r, "ce_id")),
                        seen -> !seen.isEmpty(), Duration.ofSeconds(60))
                .get(0);
        assertEquals("io.keyledger.ProjectionsRebuilt.v1", header(published, "ce_type"));
        assertEquals("operations", header(published, "ce_subject"));
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
                Files.readString(Path.of("src/main/asyncapi/schemas/ProjectionsRebuilt.v1.json")), InputFormat.JSON);
        assertEquals(List.of(), schema.validate(published.value(), InputFormat.JSON), published.value());

        // it is part of the tamper-evident log like every event
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));

        // the rebuild ignores its own record: a second one over a log that holds it succeeds and keeps the key
        Management.given().auth().oauth2(Tokens.operator()).post(rebuildUrl()).then().statusCode(200);
        assertEquals(before + 2, operationsEvents().size());
        Api.admin(org).getKey("svc", key).statusCode(200);
    }
}
