package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.api.keys.VerifyResource;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Generates a Java client (openapi-generator, {@code java}/{@code native}: java.net.http and Jackson) from
 * the document the running service serves at /q/openapi, compiles it with
 * {@code src/test/generated-client/GeneratedClientFlow.java}, and runs that flow against the service:
 * service account create, key create, get, list, rotate, use as a bearer token, verify, revoke, account
 * update, get, list and delete. The generator is the self-contained CLI jar that Maven copies to
 * {@code target/openapi-generator/} (pom: maven-dependency-plugin), run in its own JVM so its
 * dependencies stay off the test classpath.
 */
@QuarkusTest
class GeneratedClientTest {

    static final Path GENERATOR = Path.of("target", "openapi-generator", "openapi-generator-cli.jar");
    static final Path WORK = Path.of("target", "generated-client");
    static final Path FLOW = Path.of("src", "test", "generated-client", "GeneratedClientFlow.java");

    @TestHTTPResource("/")
    URL root;

    @Inject
    Pool pool;

    @Test
    void clientGeneratedFromTheServedDocument_compiles_andDrivesTheService() throws Exception {
        Path spec = WORK.resolve("keyledger.openapi.yaml");
        Path sources = WORK.resolve("sources");
        Path classes = WORK.resolve("classes");
        deleteRecursively(WORK);
        Files.createDirectories(classes);
        Files.write(spec,
                given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asByteArray());

        generate(spec, sources);
        compile(sources, classes);

        String org = Fixtures.newOrg();
        String prefix = "gen-" + UUID.randomUUID();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            Consumer<Map<String, String>> flow = (Consumer<Map<String, String>>) Class
                    .forName("io.keyledger.clientflow.GeneratedClientFlow", true, loader).getDeclaredConstructor()
                    .newInstance();
            flow.accept(Map.of("baseUri", root.toString().replaceAll("/+$", ""), "adminToken", Tokens.admin(org),
                    "verifierToken", Tokens.withGroups("gateway", VerifyResource.VERIFIER_ROLE), "org", org, "name",
                    "gen-bot", "requestIdPrefix", prefix));
        }

        // every write carried the request id it was sent with into its events' metadata
        List<String> recorded = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                SELECT event_type, metadata->>'request_id' AS request_id FROM events
                 WHERE stream_id = $1 ORDER BY stream_version""")
                .execute(Tuple.of("service-account:" + org + ":gen-bot")).await().indefinitely()) {
            recorded.add(row.getString("event_type") + " " + row.getString("request_id"));
        }
        assertEquals(
                List.of("ServiceAccountCreated " + prefix + "-create-account", "KeyCreated " + prefix + "-create-key",
                        "KeyCreated " + prefix + "-rotate", "KeyRotated " + prefix + "-rotate",
                        "KeyRevoked " + prefix + "-revoke", "ServiceAccountUpdated " + prefix + "-update",
                        "KeyRevoked " + prefix + "-delete", "ServiceAccountDeleted " + prefix + "-delete"),
                recorded);
    }

    private static void generate(Path spec, Path output) throws Exception {
        assertTrue(Files.isRegularFile(GENERATOR),
                GENERATOR + " is missing: run the tests through Maven (./mvnw verify), "
                        + "which copies it there in generate-test-resources");
        Path log = WORK.resolve("generator.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                GENERATOR.toString(), "generate", "-i", spec.toString(), "-g", "java", "--library", "native", "-o",
                output.toString(),
                "--additional-properties=invokerPackage=io.keyledger.client,apiPackage=io.keyledger.client.api,"
                        + "modelPackage=io.keyledger.client.model,openApiNullable=false,useJakartaEe=true,"
                        + "annotationLibrary=none,hideGenerationTimestamp=true",
                "--global-property=apiTests=false,modelTests=false,apiDocs=false,modelDocs=false")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a deadline against a hung generator, not a speed requirement
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, "openapi-generator failed:\n" + Files.readString(log));
    }

    private static void compile(Path sources, Path classes) throws IOException {
        List<File> files;
        try (Stream<Path> walk = Files.walk(sources.resolve("src/main/java"))) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile)
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        files.add(FLOW.toFile());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            boolean compiled = javac.getTask(
                    null, fileManager, diagnostics, List.of("--release", "17", "-proc:none", "-nowarn", "-encoding",
                            "UTF-8", "-d", classes.toString(), "-cp", classpath),
                    null, fileManager.getJavaFileObjectsFromFiles(files)).call();
            assertTrue(compiled, "the generated client does not compile:\n"
                    + diagnostics.getDiagnostics().stream().map(Object::toString).collect(Collectors.joining("\n")));
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
