package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyledger.api.accounts.BootstrapResource;
import io.keyledger.api.keys.LeakReportResource;
import io.keyledger.api.keys.VerifyResource;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /q/openapi must describe the two seed operations as the Kosli seeds do. */
@QuarkusTest
class OpenApiContractTest {

    static JsonPath doc;
    static JsonNode tree;

    @BeforeEach
    void fetch() throws Exception {
        String json = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract()
                .asString();
        doc = JsonPath.from(json);
        tree = new ObjectMapper().readTree(json);
    }

    /** One operation of the document: where it is and what it says. */
    record Op(String method, String path, JsonNode node) {
        String id() {
            return node.path("operationId").asText();
        }

        Set<String> statuses() {
            Set<String> codes = new TreeSet<>();
            node.path("responses").fieldNames().forEachRemaining(codes::add);
            return codes;
        }

        List<String> parameterNames() {
            List<String> names = new ArrayList<>();
            node.path("parameters").forEach(p -> names.add(p.path("name").asText()));
            return names;
        }

        /** The response for a status, with a components/responses reference resolved. */
        JsonNode response(String status) {
            JsonNode response = node.path("responses").path(status);
            String ref = response.path("$ref").asText("");
            return ref.isEmpty() ? response : tree.at(ref.substring(1));
        }
    }

    static Map<String, Op> operations() {
        Map<String, Op> ops = new LinkedHashMap<>();
        tree.path("paths").fields()
                .forEachRemaining(path -> path.getValue().fields()
                        .forEachRemaining(method -> ops.put(method.getValue().path("operationId").asText(),
                                new Op(method.getKey(), path.getKey(), method.getValue()))));
        return ops;
    }

    static final String CREATE_KEY = "create_service_account_api_key_service_accounts__org___name__api_keys_post";

    /** Every status each operation can answer (500 aside). */
    static final Map<String, Set<String>> STATUSES = Map.ofEntries(
            Map.entry("create_service_account", Set.of("201", "400", "401", "403", "409", "415", "429", "503")),
            Map.entry("list_service_accounts", Set.of("200", "401", "403", "503")),
            Map.entry("get_service_account", Set.of("200", "401", "403", "404", "503")),
            Map.entry("update_service_account", Set.of("200", "400", "401", "403", "404", "409", "415", "429", "503")),
            Map.entry("delete_service_account", Set.of("200", "401", "403", "404", "409", "429", "503")),
            Map.entry(CREATE_KEY, Set.of("201", "400", "401", "403", "404", "409", "415", "429", "503")),
            Map.entry("get_service_account_api_key", Set.of("200", "401", "403", "404", "503")),
            Map.entry("list_service_account_api_keys", Set.of("200", "400", "401", "403", "404", "503")),
            Map.entry("list_service_account_events", Set.of("200", "400", "401", "403", "404", "503")),
            Map.entry("list_service_account_api_key_events", Set.of("200", "401", "403", "404", "503")),
            Map.entry("list_org_api_keys", Set.of("200", "400", "401", "403", "503")),
            Map.entry("revoke_service_account_api_key", Set.of("200", "401", "403", "404", "409", "503")),
            Map.entry("rotate_service_account_api_key",
                    Set.of("201", "400", "401", "403", "404", "409", "415", "429", "503")),
            Map.entry("disable_service_account_api_key",
                    Set.of("200", "400", "401", "403", "404", "409", "415", "503")),
            Map.entry("enable_service_account_api_key", Set.of("200", "401", "403", "404", "409", "503")),
            Map.entry("verify_api_key", Set.of("200", "400", "401", "403", "415", "429", "503")),
            Map.entry("check_api_key", Set.of("200", "401", "429", "503")),
            Map.entry("check_api_key_path", Set.of("200", "401", "429", "503")),
            Map.entry("report_leaked_api_keys", Set.of("200", "400", "401", "403", "415", "503")),
            Map.entry("get_org_key_policy", Set.of("200", "401", "403", "503")),
            Map.entry("get_org_credential_report", Set.of("200", "400", "401", "403", "429", "503")),
            Map.entry("verify_ledger", Set.of("200", "401", "403", "503")),
            Map.entry("start_ledger_verification", Set.of("202", "401", "403", "503")),
            Map.entry("get_ledger_verification", Set.of("200", "401", "403", "404", "503")),
            Map.entry("get_latest_ledger_verification", Set.of("200", "401", "403", "404", "503")),
            Map.entry("get_ledger_public_key", Set.of("200", "404")),
            Map.entry("list_ledger_public_keys", Set.of("200")),
            Map.entry("set_org_key_policy", Set.of("200", "400", "401", "403", "409", "415", "503")),
            Map.entry(BootstrapResource.OPERATION,
                    Set.of("201", "400", "401", "403", "404", "409", "410", "415", "429", "503")));

    /** Operations anyone may call: the ledger's public keys. */
    static final Set<String> PUBLIC = Set.of("get_ledger_public_key", "list_ledger_public_keys");

    private static String ref(String path) {
        return doc.getString(path).replace("#/components/schemas/", "");
    }

    private static Map<String, Object> schema(String name) {
        return doc.getMap("components.schemas." + name);
    }

    private static Object typeOf(String schemaName, String property) {
        return doc.get("components.schemas." + schemaName + ".properties." + property + ".type");
    }

    @Test
    void createOperation_matchesTheSeed() {
        String op = "paths.'/api/v2/service-accounts/{org}/{name}/api-keys'.post";
        assertEquals("create_service_account_api_key_service_accounts__org___name__api_keys_post",
                doc.getString(op + ".operationId"));
        assertEquals("ApiKeyPostInput", ref(op + ".requestBody.content.'application/json'.schema.'$ref'"));
        assertThat(doc.getMap(op + ".responses").keySet(), hasItems("201", "400", "403", "404"));
        assertEquals("ApiKeyCreatedResponse", ref(op + ".responses.'201'.content.'application/json'.schema.'$ref'"));
        for (String code : List.of("400", "403", "404")) {
            assertEquals("ErrorResponse",
                    ref(op + ".responses.'" + code + "'.content.'application/json'.schema.'$ref'"));
        }
        assertEquals("Service account not found", doc.getString(op + ".responses.'404'.description"));
    }

    @Test
    void getOperation_matchesTheSeed() {
        String op = "paths.'/api/v2/service-accounts/{org}/{name}/api-keys/{key_id}'.get";
        assertEquals("get_service_account_api_key", doc.getString(op + ".operationId"));
        assertThat(doc.getMap(op + ".responses").keySet(), hasItems("200", "403", "404"));
        assertEquals("ApiKeyListItemResponse", ref(op + ".responses.'200'.content.'application/json'.schema.'$ref'"));
        assertEquals("API key not found", doc.getString(op + ".responses.'404'.description"));
    }

    @Test
    void schemas_haveTheSeedsFieldsTypesAndRequiredLists() {
        assertEquals(List.of("description"), schema("ApiKeyPostInput").get("required"));
        assertEquals("string", typeOf("ApiKeyPostInput", "description"));
        assertEquals(1, (int) doc.getInt("components.schemas.ApiKeyPostInput.properties.description.minLength"));
        assertThat(String.valueOf(typeOf("ApiKeyPostInput", "expires_at")),
                allOf(containsString("integer"), containsString("null")));

        assertThat((List<?>) schema("ApiKeyCreatedResponse").get("required"),
                containsInAnyOrder("id", "key", "description", "created_at", "expires_at"));
        assertEquals("string", typeOf("ApiKeyCreatedResponse", "id"));
        assertEquals("string", typeOf("ApiKeyCreatedResponse", "key"));
        assertEquals("number", typeOf("ApiKeyCreatedResponse", "created_at"));
        assertEquals("integer", typeOf("ApiKeyCreatedResponse", "expires_at"));

        assertThat((List<?>) schema("ApiKeyListItemResponse").get("required"),
                containsInAnyOrder("id", "description", "created_at", "expires_at"));
        assertEquals("number", typeOf("ApiKeyListItemResponse", "created_at"));
        assertEquals("integer", typeOf("ApiKeyListItemResponse", "expires_at"));
        assertThat(String.valueOf(typeOf("ApiKeyListItemResponse", "last_used_at")),
                allOf(containsString("number"), containsString("null")));
        assertThat(doc.getMap("components.schemas.ApiKeyListItemResponse.properties").keySet(), not(hasItem("key")));

        assertEquals(List.of("message"), schema("ErrorResponse").get("required"));
        assertEquals("string", typeOf("ErrorResponse", "message"));
        assertThat(String.valueOf(typeOf("ErrorResponse", "errors")), containsString("object"));
    }

    @Test
    void document_exposesNoInternalTypes_andNoBodyOnReadsAndDeletes() {
        assertEquals(
                Set.of("ApiKeyCreatedResponse", "ApiKeyListItemResponse", "ApiKeyPostInput", "ApiKeyRevokedResponse",
                        "ApiKeyRotateInput", "ApiKeyRotatedResponse", "ApiKeyVerifyInput", "ApiKeyVerifyResponse",
                        "ErrorResponse", "ServiceAccountDeletedResponse", "ServiceAccountPatchInput",
                        "ServiceAccountPostInput", "ServiceAccountResponse", "ApiKeyAsOfResponse", "EventHistoryEntry",
                        "EventHistoryResponse", "OrgApiKeyResponse", "LeakedTokenReport", "LeakedTokenVerdict",
                        "OrgKeyPolicyInput", "OrgKeyPolicyResponse", "CredentialReportItem", "LedgerBreak",
                        "LedgerVerifyResponse", "LedgerVerificationResponse", "LedgerPublicKey", "LedgerPublicKeys",
                        "BootstrapInput", "BootstrapResponse", "ApiKeyDisableInput"),
                doc.getMap("components.schemas").keySet());
        String json = tree.toString();
        for (String internal : List.of("RoutingContext", "Buffer", "ByteBuf", "Session", "AuthProvider", "JsonObject",
                "JsonArray")) {
            assertFalse(json.contains("#/components/schemas/" + internal + "\""), internal);
        }
        for (Op op : operations().values()) {
            if (op.method().equals("get") || op.method().equals("delete")) {
                assertTrue(op.node().path("requestBody").isMissingNode(), op.id() + " must take no body");
            }
        }
    }

    @Test
    void operations_haveTheSeedsParameterOrder() {
        Map<String, Op> ops = operations();
        assertEquals(List.of("name", "org"), ops.get(CREATE_KEY).parameterNames());
        assertEquals(List.of("name", "key_id", "org"), ops.get("get_service_account_api_key").parameterNames());
        // the same rule everywhere: path order, org last
        assertEquals(List.of("name", "key_id", "org"), ops.get("revoke_service_account_api_key").parameterNames());
        assertEquals(List.of("name", "key_id", "org"), ops.get("rotate_service_account_api_key").parameterNames());
        assertEquals(List.of("name", "key_id", "org"), ops.get("disable_service_account_api_key").parameterNames());
        assertEquals(List.of("name", "key_id", "org"), ops.get("enable_service_account_api_key").parameterNames());
        assertEquals(List.of("name", "org", "as_of"), ops.get("list_service_account_api_keys").parameterNames());
        assertEquals(List.of("name", "org", "after", "limit"), ops.get("list_service_account_events").parameterNames());
        assertEquals(List.of("name", "key_id", "org"), ops.get("list_service_account_api_key_events").parameterNames());
        assertEquals(List.of("org", "after", "as_of", "limit"), ops.get("list_org_api_keys").parameterNames());
        assertEquals(List.of("name", "org"), ops.get("get_service_account").parameterNames());
        assertEquals(List.of("name", "org"), ops.get("update_service_account").parameterNames());
        assertEquals(List.of("name", "org"), ops.get("delete_service_account").parameterNames());
        assertEquals(List.of("org"), ops.get("create_service_account").parameterNames());
        assertEquals(List.of(), ops.get("verify_api_key").parameterNames());
        assertEquals(List.of(), ops.get("report_leaked_api_keys").parameterNames());
        assertEquals(List.of("org"), ops.get("set_org_key_policy").parameterNames());
    }

    @Test
    void securitySchemes_areBearerForJwtsAndKeys_andBasicForKeys() {
        assertEquals(Set.of("HTTPBearer", "HTTPBasic"), doc.getMap("components.securitySchemes").keySet());
        assertEquals(Map.of("type", "http", "scheme", "bearer"),
                Map.of("type", doc.getString("components.securitySchemes.HTTPBearer.type"), "scheme",
                        doc.getString("components.securitySchemes.HTTPBearer.scheme")));
        assertFalse(doc.getMap("components.securitySchemes.HTTPBearer").containsKey("bearerFormat"));
        assertEquals("http", doc.getString("components.securitySchemes.HTTPBasic.type"));
        assertEquals("basic", doc.getString("components.securitySchemes.HTTPBasic.scheme"));
        List<Map<String, List<String>>> bearerOrBasic = List.of(Map.of("HTTPBearer", List.of()),
                Map.of("HTTPBasic", List.of()));
        assertEquals(bearerOrBasic, doc.getList("security"));
        for (Op op : operations().values()) {
            Object security = op.node().has("security")
                    ? JsonPath.from(op.node().path("security").toString()).getList("$")
                    : bearerOrBasic;
            // the bootstrap token is a bearer token of its own, never Basic
            Object expected = op.id().equals("verify_api_key") || op.id().equals(BootstrapResource.OPERATION)
                    ? List.of(Map.of("HTTPBearer", List.of()))
                    : PUBLIC.contains(op.id()) ? List.of() : bearerOrBasic;
            assertEquals(expected, security, op.id());
        }
    }

    @Test
    void servers_areDeclared() {
        // relative: clients reach the deployment that served them the document
        assertEquals(List.of("/"), doc.getList("servers.url"));
    }

    @Test
    void everyOperation_documentsEveryStatusItAnswers_withTheErrorShape() {
        Map<String, Op> ops = operations();
        assertEquals(STATUSES.keySet(), ops.keySet());
        ops.forEach((id, op) -> {
            assertEquals(STATUSES.get(id), op.statuses(), id);
            for (String status : op.statuses()) {
                JsonNode response = op.response(status);
                assertFalse(response.path("description").asText().isBlank(), id + " " + status);
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertEquals("#/components/schemas/ErrorResponse",
                            response.path("content").path("application/json").path("schema").path("$ref").asText(),
                            id + " " + status);
                }
                JsonNode headers = response.path("headers");
                if (status.equals("429") || status.equals("503")) {
                    assertTrue(headers.has("Retry-After"), id + " " + status + " must document Retry-After");
                }
                if (status.equals("401")) {
                    assertTrue(headers.has("WWW-Authenticate"), id + " 401 must document WWW-Authenticate");
                }
            }
            assertEquals(op.node().has("requestBody"), op.statuses().contains("415"),
                    id + ": 415 exactly where there is a body");
        });
    }

    /** The documented 401 and 415 are what the service answers, for every operation in the document. */
    @Test
    void documented401And415_areWhatTheServiceAnswers() {
        operations().values().forEach(op -> {
            if (PUBLIC.contains(op.id())) {
                return; // public
            }
            String path = op.path().replace("{org}", "acme").replace("{name}", "ci-bot").replace("{key_id}", "k1")
                    .replace("{id}", "00000000-0000-0000-0000-000000000000").replace("{path}", "orders/42");
            assertTrue(op.statuses().contains("401"), op.id());
            // this service has no bootstrap token configured: 404 before any credential (its 401:
            // bootstrap.BootstrapTest)
            int unauthenticated = op.id().equals(BootstrapResource.OPERATION) ? 404 : 401;
            given().contentType(ContentType.JSON).body("{}").request(op.method(), path).then()
                    .statusCode(unauthenticated).contentType(ContentType.JSON)
                    .header("WWW-Authenticate", unauthenticated == 401 ? notNullValue() : nullValue())
                    .body("message", not(emptyOrNullString()));
            if (op.statuses().contains("415")) {
                String token = op.id().equals("verify_api_key")
                        ? Tokens.withGroups("gateway", VerifyResource.VERIFIER_ROLE)
                        : op.id().equals("report_leaked_api_keys")
                                ? Tokens.withGroups("scanner", LeakReportResource.SCANNER_ROLE)
                                : Tokens.admin("acme");
                given().auth().oauth2(token).contentType(ContentType.TEXT).body("{}").request(op.method(), path).then()
                        .statusCode(415).contentType(ContentType.JSON).body("message", not(emptyOrNullString()));
            }
        });
    }
}
