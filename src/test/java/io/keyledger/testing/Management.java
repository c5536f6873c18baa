package io.keyledger.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Requests to the management interface (health and metrics), which listens on its own port: 9000 in
 * production, a random one in tests ({@code quarkus.management.test-port=0}). Paths are relative to its
 * root, e.g. {@code Management.given().get("/health/ready")} for {@code /q/health/ready}.
 */
public final class Management {

    private Management() {
    }

    /** The management root, e.g. {@code http://localhost:41234/q}, with the port the running application bound. */
    public static String root() {
        // what @TestHTTPResource(management = true) resolves: Quarkus's test config knows the bound port
        return ConfigProvider.getConfig().getValue("test.management.url", String.class);
    }

    public static RequestSpecification given() {
        return RestAssured.given().baseUri(root()).port(-1).basePath("");
    }

    /** The Prometheus scrape, as text. */
    public static String metrics() {
        return given().get("/metrics").then().statusCode(200).extract().asString();
    }
}
