package io.keyledger.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

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
        return TestHTTPResourceManager.getManagementUri();
    }

    public static RequestSpecification given() {
        return RestAssured.given().baseUri(root()).port(-1).basePath("");
    }

    /** The Prometheus scrape, as text. */
    public static String metrics() {
        return given().get("/metrics").then().statusCode(200).extract().asString();
    }
}
