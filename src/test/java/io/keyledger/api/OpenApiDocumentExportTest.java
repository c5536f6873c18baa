package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Writes the document the service serves at /q/openapi to target/openapi/, byte for byte, so
 * that CI lints exactly what a client sees (.ci/run runs Redocly and Spectral on it).
 */
@QuarkusTest
class OpenApiDocumentExportTest {

    static final Path DIRECTORY = Path.of("target", "openapi");
    static final Path YAML = DIRECTORY.resolve("keyledger.openapi.yaml");
    static final Path JSON = DIRECTORY.resolve("keyledger.openapi.json");

    @Test
    void servedDocument_isWrittenToTarget() throws Exception {
        Files.createDirectories(DIRECTORY);
        write(YAML, "/q/openapi", "application/yaml");
        write(JSON, "/q/openapi?format=json", "application/json");
    }

    private static void write(Path file, String url, String accept) throws Exception {
        byte[] body = given().accept(accept).get(url).then().statusCode(200).extract().asByteArray();
        Files.write(file, body);
        assertTrue(new String(body, StandardCharsets.UTF_8).contains("openapi: 3")
                || new String(body, StandardCharsets.UTF_8).contains("\"openapi\""));
    }
}
