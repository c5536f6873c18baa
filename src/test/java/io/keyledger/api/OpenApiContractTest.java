package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** /q/openapi must describe the two seed operations as the Kosli seeds do. */
@QuarkusTest
class OpenApiContractTest {

    static JsonPath doc;

    @BeforeEach
    void fetch() {
        doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

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
        assertEquals("create_service_account_api_key_service_accounts__org___name__api_keys_post", doc.getString(op + ".operationId"));
        assertEquals("ApiKeyPostInput", ref(op + ".requestBody.content.'application/json'.schema.'$ref'"));
        assertThat(doc.getMap(op + ".responses").keySet(), hasItems("201", "400", "403", "404"));
        assertEquals("ApiKeyCreatedResponse", ref(op + ".responses.'201'.content.'application/json'.schema.'$ref'"));
        for (String code : List.of("400", "403", "404")) {
            assertEquals("ErrorResponse", ref(op + ".responses.'" + code + "'.content.'application/json'.schema.'$ref'"));
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
        assertThat(String.valueOf(typeOf("ApiKeyPostInput", "expires_at")), allOf(containsString("integer"), containsString("null")));

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
        assertThat(String.valueOf(typeOf("ApiKeyListItemResponse", "last_used_at")), allOf(containsString("number"), containsString("null")));
        assertThat(doc.getMap("components.schemas.ApiKeyListItemResponse.properties").keySet(), not(hasItem("key")));

        assertEquals(List.of("message"), schema("ErrorResponse").get("required"));
        assertEquals("string", typeOf("ErrorResponse", "message"));
        assertThat(String.valueOf(typeOf("ErrorResponse", "errors")), containsString("object"));
    }
}
