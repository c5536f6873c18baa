package io.keyledger.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 21 §7: a real version, shown on the management port and in the image labels, with a licence and a changelog. */
@QuarkusTest
class ReleaseInfoTest {

    static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>keyledger</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "pom.xml names keyledger's version");
        return m.group(1);
    }

    @Test
    void theVersion_isARelease_shownAtQInfo_onTheManagementPortOnly() throws IOException {
        String version = pomVersion();
        assertTrue(version.matches("0\\.\\d+\\.\\d+"), "a 0.x.y release, not a snapshot: " + version);
        Management.given().get("/info").then().statusCode(200).body("build.version", equalTo(version))
                .body("build.artifact", equalTo("keyledger"));
        given().get("/q/info").then().statusCode(404);
    }

    @Test
    void theImages_carryTheVersionAndLicenceLabels_andTheRepoItsLicenceAndChangelog() throws IOException {
        String version = pomVersion();
        for (String dockerfile : new String[]{"src/main/docker/Dockerfile.jvm",
                "src/main/docker/Dockerfile.native-micro"}) {
            String text = Files.readString(Path.of(dockerfile));
            assertTrue(text.contains("org.opencontainers.image.version=\"" + version + "\""),
                    dockerfile + " labels " + version);
            assertTrue(text.contains("org.opencontainers.image.licenses=\"Apache-2.0\""),
                    dockerfile + " labels its licence");
        }
        assertTrue(Files.readString(Path.of("LICENSE")).contains("Apache License"), "LICENSE is the Apache-2.0 text");
        assertTrue(Files.readString(Path.of("CHANGELOG.md")).contains("## [" + version + "]"),
                "CHANGELOG has the release");
        for (String overlay : new String[]{"k8s/overlays/jvm/kustomization.yaml",
                "k8s/overlays/native/kustomization.yaml"}) {
            assertTrue(Files.readString(Path.of(overlay)).contains("newTag: " + version),
                    overlay + " deploys " + version);
        }
    }
}
