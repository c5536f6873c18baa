package io.keyledger.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Native readiness: the reflection configuration that {@code ./mvnw package -Dnative
 * -Dquarkus.native.sources-only=true} generates must register every type this service writes
 * as JSON (each REST resource's response types and the error body) and every Kafka
 * (de)serializer it names. CI runs it after the sources-only build with
 * {@code -Dkeyledger.require-native-sources=true}; elsewhere it is skipped when no native
 * sources exist.
 */
class NativeReflectionCoverageTest {

    static final java.nio.file.Path NATIVE_SOURCES = Paths.get("target", "native-sources");
    static final String API_PACKAGE = "io.keyledger.api";
    static final List<String> RESOURCES = List.of("io.keyledger.api.keys.ApiKeyResource",
            "io.keyledger.api.accounts.ServiceAccountResource", "io.keyledger.api.http.NoopResource",
            "io.keyledger.api.keys.VerifyResource");

    @Test
    void generatedReflectionConfig_registersEveryJsonAndKafkaType() throws Exception {
        Set<String> registered = registeredTypes();
        Set<String> required = new TreeSet<>(jsonTypes());
        required.add("io.keyledger.api.ErrorResponse");
        required.addAll(kafkaSerdes());

        List<String> missing = required.stream().filter(t -> !registered.contains(t)).toList();
        assertTrue(missing.isEmpty(), "not registered for reflection in the native image: " + missing);
        assertTrue(required.size() >= 8, "the check found suspiciously few types: " + required);
    }

    private static Set<String> registeredTypes() throws IOException {
        boolean required = Boolean.getBoolean("keyledger.require-native-sources");
        java.nio.file.Path runner;
        try (Stream<java.nio.file.Path> files = Files.exists(NATIVE_SOURCES)
                ? Files.list(NATIVE_SOURCES)
                : Stream.empty()) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElse(null);
        }
        if (runner == null) {
            if (required) {
                throw new AssertionError(
                        "no native sources: run ./mvnw package -Dnative -Dquarkus.native.sources-only=true first");
            }
            Assumptions.abort("no native sources in target/; CI builds them and runs this check");
        }
        try (JarFile jar = new JarFile(runner.toFile())) {
            var entry = jar.getEntry("META-INF/native-image/reflect-config.json");
            try (InputStream in = jar.getInputStream(entry)) {
                JsonArray config = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                Set<String> names = new TreeSet<>();
                config.forEach(e -> names.add(((JsonObject) e).getString("name")));
                return names;
            }
        }
    }

    /** Every keyledger type a resource method can return, unwrapped from Uni, RestResponse and List. */
    static Set<String> jsonTypes() throws ClassNotFoundException {
        Set<String> types = new TreeSet<>();
        for (String resource : RESOURCES) {
            Class<?> type = Class.forName(resource);
            assertTrue(type.isAnnotationPresent(Path.class), resource + " is not a resource");
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers())) {
                    collect(method.getGenericReturnType(), types);
                }
            }
        }
        return types;
    }

    private static void collect(Type type, Set<String> into) {
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            if (raw == Uni.class || raw == RestResponse.class || raw == List.class) {
                for (Type argument : p.getActualTypeArguments()) {
                    collect(argument, into);
                }
            }
        } else if (type instanceof Class<?> c && c.getName().startsWith(API_PACKAGE)) {
            into.add(c.getName());
        }
    }

    /** Serializer and deserializer classes named in application.properties, plus the relay's own. */
    static List<String> kafkaSerdes() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Paths.get("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        List<String> serdes = new ArrayList<>(List.of("org.apache.kafka.common.serialization.StringSerializer",
                "org.apache.kafka.common.serialization.ByteArraySerializer"));
        properties.stringPropertyNames().stream().filter(k -> k.endsWith(".serializer") || k.endsWith(".deserializer"))
                .map(properties::getProperty).forEach(serdes::add);
        return serdes;
    }
}
