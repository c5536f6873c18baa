package io.keyledger.events;

import static io.keyledger.testing.KafkaTopics.header;
import static org.junit.jupiter.api.Assertions.*;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.keyledger.relay.PublishedEvents;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tokens;
import io.keyledger.usage.UsageConsumer;
import io.keyledger.usage.UsageRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kafka contract in {@code src/main/asyncapi} is what keyledger really sends: every record the
 * relay publishes matches the AsyncAPI message of its {@code ce_type} (headers, key) and the JSON
 * Schema of its payload, and the schemas are strict enough to catch a leaked field.
 */
@QuarkusTest
class EventContractTest {

    static final Path ASYNCAPI_DIR = Path.of("src", "main", "asyncapi");
    static final Path ASYNCAPI = ASYNCAPI_DIR.resolve("keyledger.asyncapi.yaml");
    static final Path SCHEMAS = ASYNCAPI_DIR.resolve("schemas");
    static final String PUBLISHED_CHANNEL = "apiKeyEvents";
    static final Pattern CE_TYPE = Pattern.compile("io\\.keyledger\\.([A-Za-z]+)\\.v([0-9]+)");
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @ConfigProperty(name = "keyledger.relay.topic")
    String topic;

    @ConfigProperty(name = "keyledger.usage.topic")
    String usageTopic;

    // ---------------------------------------------------------------- the document itself

    @Test
    void asyncApiDocument_parses_andDescribesTheThreeTopicsWithTheirDirections() {
        Map<String, Object> doc = asyncApi();
        assertEquals("3.0.0", doc.get("asyncapi"));
        assertNotNull(map(doc, "info").get("title"));
        assertEquals("kafka", map(map(doc, "servers"), "kafka").get("protocol"));

        Map<String, String> addressByChannel = new LinkedHashMap<>();
        map(doc, "channels")
                .forEach((id, channel) -> addressByChannel.put(id, (String) ((Map<?, ?>) channel).get("address")));
        assertEquals(Set.of(topic, usageTopic, usageTopic + ".dlq"), Set.copyOf(addressByChannel.values()),
                "channel addresses are the configured topics");

        Map<String, String> actionByAddress = new LinkedHashMap<>();
        map(doc, "operations").forEach((id, op) -> {
            Map<String, Object> operation = asMap(op);
            Map<String, Object> channel = asMap(resolve(doc, (String) map(operation, "channel").get("$ref")));
            actionByAddress.put((String) channel.get("address"), (String) operation.get("action"));
        });
        assertEquals(Map.of(topic, "send", usageTopic, "receive", usageTopic + ".dlq", "send"), actionByAddress);
    }

    @Test
    void asyncApiDocument_referencesEverySchemaFile_andEveryReferenceResolves() throws IOException {
        Map<String, Object> doc = asyncApi();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        Set<String> fileRefs = new TreeSet<>();
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertNotNull(resolve(doc, ref), "dangling reference " + ref);
            } else {
                assertTrue(Files.isRegularFile(ASYNCAPI_DIR.resolve(ref)), "referenced file missing: " + ref);
                fileRefs.add(
                        ASYNCAPI_DIR.relativize(ASYNCAPI_DIR.resolve(ref).normalize()).toString().replace('\\', '/'));
            }
        }
        Set<String> schemaFiles;
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            schemaFiles = files.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> ASYNCAPI_DIR.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(schemaFiles.containsAll(Set.of("schemas/ServiceAccountCreated.v1.json", "schemas/KeyCreated.v1.json",
                "schemas/KeyRevoked.v1.json", "schemas/KeyRotated.v1.json", "schemas/ServiceAccountUpdated.v1.json",
                "schemas/ServiceAccountDeleted.v1.json", "schemas/AuthenticationUsage.v1.json")),
                "schema files " + schemaFiles);
        assertEquals(schemaFiles, fileRefs, "every schema file is referenced, and only those");
    }

    @Test
    void publishedEventSchemas_areDraft2020_12_closed_andRequireEveryField() throws IOException {
        for (String typeAndVersion : List.of("ServiceAccountCreated.v1", "KeyCreated.v1", "KeyCreated.v2",
                "KeyRevoked.v1", "KeyRevoked.v2", "KeyRotated.v1", "ServiceAccountUpdated.v1",
                "ServiceAccountDeleted.v1", "KeyLeakReported.v1", "OrgKeyPolicyChanged.v1", "KeyExpiringSoon.v1",
                "KeyExpired.v1", "LedgerCheckpoint.v1", "LedgerCheckpoint.v3", "ProjectionsRebuilt.v1",
                "OrgBootstrapped.v1", "KeyRehashed.v1", "KeyDisabled.v1", "KeyEnabled.v1")) {
            String type = typeAndVersion.substring(0, typeAndVersion.indexOf('.'));
            String version = typeAndVersion.substring(typeAndVersion.indexOf('.') + 1);
            JsonObject schema = new JsonObject(Files.readString(SCHEMAS.resolve(typeAndVersion + ".json")));
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.getString("$schema"), type);
            assertEquals("urn:keyledger:event:" + type + ":" + version, schema.getString("$id"),
                    type + " $id is its ce_dataschema");
            assertEquals(Boolean.FALSE, schema.getValue("additionalProperties"), type);
            // every field is required, but for one an additive change made optional, and says so ("Optional: ..."),
            // so that events without it are published exactly as before it existed
            Set<String> always = new HashSet<>();
            JsonObject properties = schema.getJsonObject("properties");
            for (String field : properties.fieldNames()) {
                if (!properties.getJsonObject(field).getString("description", "").startsWith("Optional:")) {
                    always.add(field);
                }
            }
            assertEquals(always, new HashSet<>(schema.getJsonArray("required").getList()),
                    type + " requires every field");
            assertNotNull(schemaFor("io.keyledger." + typeAndVersion), type + " compiles");
        }
    }

    // ---------------------------------------------------------------- what the relay really sends

    @Test
    void everyPublishedRecord_validatesAgainstTheSchemaOfItsCeType() {
        List<ConsumerRecord<String, String>> records = publishLifecycle();

        assertEquals(Set.of("io.keyledger.ServiceAccountCreated.v1", "io.keyledger.KeyCreated.v2",
                "io.keyledger.KeyRevoked.v2", "io.keyledger.KeyRotated.v1", "io.keyledger.ServiceAccountUpdated.v1",
                "io.keyledger.ServiceAccountDeleted.v1", "io.keyledger.KeyLeakReported.v1"),
                records.stream().map(r -> header(r, "ce_type")).collect(Collectors.toSet()));
        for (var record : records) {
            String ceType = header(record, "ce_type");
            List<Error> errors = schemaFor(ceType).validate(record.value(), InputFormat.JSON);
            assertEquals(List.of(), errors, ceType + " value " + record.value());
        }
    }

    @Test
    void everyPublishedRecord_carriesTheHeadersAndKeyItsAsyncApiMessageRequires() {
        Map<String, Object> doc = asyncApi();
        List<ConsumerRecord<String, String>> records = publishLifecycle();

        for (var record : records) {
            String ceType = header(record, "ce_type");
            Map<String, Object> message = publishedMessageFor(doc, ceType);
            Map<String, Object> headersSchema = asMap(inline(doc, message.get("headers")));

            Set<String> required = requiredHeaders(headersSchema);
            assertTrue(required.containsAll(Set.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
                    "ce_subject", "ce_dataschema", "content-type")), "documented required headers " + required);
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                assertNull(headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)),
                        "header " + h.key() + " sent twice");
            }
            assertTrue(headers.keySet().containsAll(required),
                    ceType + " headers " + headers.keySet() + " lack some of " + required);
            assertEquals(List.of(), validate(headersSchema, headers), ceType + " headers " + headers);

            // the parts a schema cannot tie together
            assertEquals(record.key(), headers.get("ce_subject"), "ce_subject is the record key");
            assertNotNull(Instant.parse(headers.get("ce_time")));
            assertEquals(UUID.fromString(headers.get("ce_id")).toString(), headers.get("ce_id"));
            assertEquals(new JsonObject(readString(schemaFile(ceType))).getString("$id"), headers.get("ce_dataschema"),
                    "ce_dataschema names the payload schema");
            assertEquals(schemaFile(ceType),
                    ASYNCAPI_DIR.resolve((String) map(message, "payload").get("$ref")).normalize(),
                    "the AsyncAPI message's payload is the schema file of its ce_type");

            Object keySchema = inline(doc, map(map(message, "bindings"), "kafka").get("key"));
            assertEquals(List.of(), validate(keySchema, record.key()), ceType + " key " + record.key());
        }
    }

    // ---------------------------------------------------------------- the consumed topic

    @Test
    void usageRecordSample_validatesAgainstAuthenticationUsageSchema_andIsAcceptedByTheConsumer() {
        Schema usage = REGISTRY.getSchema(readString(SCHEMAS.resolve("AuthenticationUsage.v1.json")), InputFormat.JSON);
        String sample = "{\"key_id\":\"" + UUID.randomUUID()
                + "\",\"used_at\":1767225600.123456,\"authenticator\":\"gateway-1\"}";

        assertEquals(List.of(), usage.validate(sample, InputFormat.JSON));
        assertTrue(UsageRecord.parse(sample.getBytes(StandardCharsets.UTF_8), Instant.now()).record().isPresent(),
                "what the schema accepts, the consumer reads");

        assertFalse(usage.validate("{\"key_id\":\"k\"}", InputFormat.JSON).isEmpty(), "used_at is required");
        assertFalse(usage.validate("{\"key_id\":\"k\",\"used_at\":\"1767225600\"}", InputFormat.JSON).isEmpty(),
                "used_at is a number, not a string");
        assertFalse(usage.validate("{\"key_id\":\"\",\"used_at\":1767225600}", InputFormat.JSON).isEmpty(),
                "key_id is not empty");
    }

    @Test
    void usageDeadLetterMessage_documentsTheHeadersTheConsumerWrites() {
        Map<String, Object> doc = asyncApi();
        Map<String, Object> deadLetter = asMap(resolve(doc, "#/components/messages/UsageDeadLetter"));
        assertEquals(Set.of(UsageConsumer.REASON_HEADER, "dlq-original-topic", "dlq-original-partition",
                "dlq-original-offset"), requiredHeaders(asMap(inline(doc, deadLetter.get("headers")))));
    }

    // ---------------------------------------------------------------- the test can fail

    @Test
    void keyCreatedWithLeakedKeyHash_failsValidation() {
        KeyCreated event = new KeyCreated(UUID.randomUUID().toString(), "acme", "ci-bot", "deploys",
                "hmac-sha256:not-for-kafka", "p1", Instant.parse("2026-01-01T00:00:00.123456Z"), 0, "admin-of-acme");
        JsonObject published = PublishedEvents.value(event);
        Schema keyCreated = schemaFor("io.keyledger.KeyCreated.v2");
        assertEquals(List.of(), keyCreated.validate(published.encode(), InputFormat.JSON),
                "the real published form passes");

        List<Error> leaked = keyCreated.validate(published.copy().put("key_hash", event.keyHash()).encode(),
                InputFormat.JSON);
        assertFalse(leaked.isEmpty(), "a KeyCreated value carrying key_hash must fail");
        assertTrue(
                leaked.stream()
                        .anyMatch(e -> "additionalProperties".equals(e.getKeyword())
                                && ("key_hash".equals(e.getProperty()) || e.getMessage().contains("key_hash"))),
                leaked.toString());

        List<Error> fractionalExpiry = keyCreated.validate(published.copy().put("expires_at", 1767225600.5).encode(),
                InputFormat.JSON);
        assertFalse(fractionalExpiry.isEmpty(), "expires_at is whole seconds");
        List<Error> missingField = keyCreated.validate(without(published, "created_by"), InputFormat.JSON);
        assertFalse(missingField.isEmpty(), "created_by is required");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Creates a service account and a key, rotates the key, revokes the replacement, changes the account and
     * deletes it, through the API;
     * returns one record per event of that stream.
     */
    private List<ConsumerRecord<String, String>> publishLifecycle() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":contract";
        Fixtures.createServiceAccount(org, "contract");
        String keyId = Api.admin(org).createKey("contract", "{\"description\":\"contract\",\"expires_at\":4102444800}")
                .id();
        String replacement = Api.admin(org).rotate("contract", keyId, "{\"grace_period_hours\":1}").statusCode(201)
                .extract().path("id");
        Api.admin(org).revoke("contract", replacement).statusCode(200);
        String leaky = Api.admin(org).createKey("contract", "{\"description\":\"leaky\"}").value();
        Api.as(Tokens.withGroups("scanner", "keyledger:scanner"))
                .reportLeaked("[{\"token\":\"" + leaky
                        + "\",\"type\":\"keyledger_api_key\",\"url\":\"https://example.com/x\",\"source\":\"github\"}]")
                .statusCode(200);
        Api.admin(org).patchAccount("contract", "{\"privilege\":\"reader\"}").statusCode(200);
        Api.admin(org).deleteAccount("contract").statusCode(200);

        List<ConsumerRecord<String, String>> seen = KafkaTopics.awaitRecords(topic, r -> stream.equals(r.key()),
                all -> all.stream().map(r -> header(r, "ce_id")).distinct().count() >= 11, Duration.ofSeconds(60));
        // at-least-once: a re-send carries the same ce_id; keep one record per event
        Map<String, ConsumerRecord<String, String>> byEventId = new LinkedHashMap<>();
        seen.forEach(r -> byEventId.putIfAbsent(header(r, "ce_id"), r));
        assertEquals(11, byEventId.size(),
                "ServiceAccountCreated, KeyCreated x2, KeyRotated, KeyRevoked, ServiceAccountUpdated, KeyRevoked, ServiceAccountDeleted");
        return List.copyOf(byEventId.values());
    }

    /** The schema file a ce_type names: {@code io.keyledger.KeyCreated.v1} is {@code schemas/KeyCreated.v1.json}. */
    static Path schemaFile(String ceType) {
        assertNotNull(ceType, "ce_type header missing");
        Matcher m = CE_TYPE.matcher(ceType);
        assertTrue(m.matches(), "ce_type " + ceType);
        Path file = SCHEMAS.resolve(m.group(1) + ".v" + m.group(2) + ".json");
        assertTrue(Files.isRegularFile(file), "no schema file for " + ceType + ": " + file);
        return file;
    }

    static Schema schemaFor(String ceType) {
        return REGISTRY.getSchema(readString(schemaFile(ceType)), InputFormat.JSON);
    }

    static List<Error> validate(Object schema, Object instance) {
        return REGISTRY.getSchema(Json.encode(schema), InputFormat.JSON).validate(Json.encode(instance),
                InputFormat.JSON);
    }

    /** The AsyncAPI message on the published channel whose headers fix {@code ce_type} to this value. */
    static Map<String, Object> publishedMessageFor(Map<String, Object> doc, String ceType) {
        List<Map<String, Object>> matches = new ArrayList<>();
        for (Object ref : map(map(map(doc, "channels"), PUBLISHED_CHANNEL), "messages").values()) {
            Map<String, Object> message = asMap(inline(doc, ref));
            if (ceTypeConstants(asMap(inline(doc, message.get("headers")))).contains(ceType)) {
                matches.add(message);
            }
        }
        assertEquals(1, matches.size(), "exactly one AsyncAPI message for ce_type " + ceType);
        return matches.get(0);
    }

    /** The {@code const} values a headers schema (or one of its allOf parts) gives {@code ce_type}. */
    @SuppressWarnings("unchecked")
    static Set<Object> ceTypeConstants(Map<String, Object> schema) {
        Set<Object> constants = new HashSet<>();
        if (schema.get("properties") instanceof Map<?, ?> properties
                && properties.get("ce_type") instanceof Map<?, ?> ceType && ceType.containsKey("const")) {
            constants.add(ceType.get("const"));
        }
        if (schema.get("allOf") instanceof List<?> parts) {
            parts.forEach(p -> constants.addAll(ceTypeConstants((Map<String, Object>) p)));
        }
        return constants;
    }

    /** Required header names of a headers schema, including those of its allOf parts. */
    @SuppressWarnings("unchecked")
    static Set<String> requiredHeaders(Map<String, Object> schema) {
        Set<String> required = new TreeSet<>();
        if (schema.get("required") instanceof List<?> names) {
            names.forEach(n -> required.add((String) n));
        }
        if (schema.get("allOf") instanceof List<?> parts) {
            parts.forEach(p -> required.addAll(requiredHeaders((Map<String, Object>) p)));
        }
        return required;
    }

    static Map<String, Object> asyncApi() {
        try (Reader reader = Files.newBufferedReader(ASYNCAPI)) {
            Object doc = new Yaml().load(reader);
            assertInstanceOf(Map.class, doc, "the AsyncAPI document is a YAML mapping");
            return asMap(doc);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + ASYNCAPI, e);
        }
    }

    /** Follows a local JSON pointer ({@code #/a/b}) in the document; null when it points nowhere. */
    static Object resolve(Map<String, Object> doc, String ref) {
        assertTrue(ref.startsWith("#/"), "not a local reference: " + ref);
        Object node = doc;
        for (String part : ref.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(part.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }

    /** A copy of the node with every local {@code $ref} replaced by its target; file references stay. */
    static Object inline(Map<String, Object> doc, Object node) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("$ref") instanceof String ref && ref.startsWith("#/")) {
                Object target = resolve(doc, ref);
                assertNotNull(target, "dangling reference " + ref);
                return inline(doc, target);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, inline(doc, v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> inline(doc, v)).toList();
        }
        return node;
    }

    static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add((String) v);
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectRefs(v, refs));
        }
    }

    static Map<String, Object> map(Map<String, Object> node, String key) {
        Object child = node.get(key);
        assertInstanceOf(Map.class, child, "'" + key + "' is a mapping");
        return asMap(child);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object node) {
        assertInstanceOf(Map.class, node);
        return (Map<String, Object>) node;
    }

    static String without(JsonObject value, String field) {
        JsonObject copy = value.copy();
        copy.remove(field);
        return copy.encode();
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
