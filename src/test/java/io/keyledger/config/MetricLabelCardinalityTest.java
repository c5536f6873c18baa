package io.keyledger.config;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Management;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server metrics' uri label is a route template, never a path a client made up: requests to
 * unmatched, wrongly-methoded, unauthenticated and malformed paths must not add labels (an attacker could
 * otherwise fill the registry and the Prometheus series budget).
 */
@QuarkusTest
class MetricLabelCardinalityTest {

    private static final int ROUNDS = 30;

    @Test
    void uriLabels_neverContainClientChosenPathSegments() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String t = token(tokens);
            // 404: no route at all, inside and outside the API root
            given().get("/" + t).then().statusCode(404);
            given().get("/api/v2/" + token(tokens) + "/x").then().statusCode(404);
            given().get("/api/v2/service-accounts/a/b/api-keys/c/d/" + token(tokens)).then().statusCode(404);
            // 405: a route exists for the path, not for the method
            given().contentType(ContentType.JSON).body("{}").put("/api/v2/service-accounts/" + token(tokens)).then()
                    .statusCode(405);
            // 401: a matched route, no credentials, and an unmatched one with a bad token
            given().get("/api/v2/service-accounts/" + token(tokens) + "/" + token(tokens)).then().statusCode(401);
            given().auth().oauth2("not-a-jwt-" + token(tokens))
                    .get("/api/v2/service-accounts/" + token(tokens) + "/x/api-keys").then().statusCode(401);
            // 403 from a valid token for another org
            given().auth().oauth2(Tokens.admin("someone-else")).get("/api/v2/service-accounts/" + token(tokens)).then()
                    .statusCode(403);
            // 400s Vert.x or the REST layer answer before routing: bad percent-encoding, over-long paths
            int status = rawGet("/api/v2/service-accounts/" + token(tokens) + "/%zz");
            assertTrue(status >= 400 && status < 500, "malformed path answered " + status);
        }

        String metrics = Management.metrics();
        List<String> uriLabels = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count"))
                .map(l -> l.replaceAll(".*uri=\"([^\"]*)\".*", "$1")).distinct().sorted().toList();
        assertTrue(!uriLabels.isEmpty(), "no http_server_requests metrics at all");
        List<String> leaked = tokens.stream().filter(metrics::contains).toList();
        assertEquals(List.of(), leaked, "client-chosen path segments became metric labels; uri labels: " + uriLabels);
        for (String uri : uriLabels) {
            assertTrue(uri.equals("NOT_FOUND") || uri.equals("UNKNOWN") || uri.equals("REDIRECTION")
                    || uri.equals("root") || uri.startsWith("/api/v2/"),
                    "unexpected uri label " + uri + " in " + uriLabels);
        }
    }

    private static String token(List<String> tokens) {
        String t = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        tokens.add(t);
        return t;
    }

    /** A request no HTTP client library would send as is: written to the socket byte for byte. */
    private static int rawGet(String path) throws IOException {
        URI api = URI.create(ConfigProvider.getConfig().getValue("test.url", String.class));
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String statusLine = response.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
    }
}
