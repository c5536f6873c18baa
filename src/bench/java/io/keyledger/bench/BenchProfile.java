package io.keyledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's CPU went in each profiled phase ({@code BENCH_PROFILE=1}): from the JFR execution samples,
 * the hottest methods (top frame) and the share of samples whose stack passes through each area (the HTTP server,
 * the PostgreSQL client, JSON, JWT, security, metrics, keyledger's own code...). Written to
 * {@code <bench-dir>/profile/summary.txt}.
 *
 * <p>Usage: {@code BenchProfile <bench-dir>}.
 */
public final class BenchProfile {

    /** Areas by frame prefix; a sample counts once per area its stack passes through. */
    private static final Map<String, String[]> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("netty / vert.x HTTP", new String[]{"io.netty.", "io.vertx.core.http.", "io.vertx.core.net."});
        AREAS.put("RESTEasy Reactive routing",
                new String[]{"org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive."});
        AREAS.put("PostgreSQL client", new String[]{"io.vertx.pgclient.", "io.vertx.sqlclient."});
        AREAS.put("Jackson JSON", new String[]{"com.fasterxml.jackson."});
        AREAS.put("vert.x JSON", new String[]{"io.vertx.core.json."});
        AREAS.put("JWT (smallrye / jose4j)", new String[]{"io.smallrye.jwt.", "org.jose4j."});
        AREAS.put("Quarkus security", new String[]{"io.quarkus.security.", "io.quarkus.vertx.http.runtime.security."});
        AREAS.put("keyledger auth", new String[]{"io.keyledger.auth."});
        AREAS.put("keyledger api", new String[]{"io.keyledger.api."});
        AREAS.put("keyledger store/projection", new String[]{"io.keyledger.store.", "io.keyledger.projection."});
        AREAS.put("keyledger application/domain",
                new String[]{"io.keyledger.application.", "io.keyledger.serviceaccount."});
        AREAS.put("HMAC / SHA / crypto", new String[]{"javax.crypto.", "sun.security.", "com.sun.crypto."});
        AREAS.put("Micrometer / metrics", new String[]{"io.micrometer.", "io.quarkus.micrometer."});
        AREAS.put("OpenTelemetry", new String[]{"io.opentelemetry.", "io.quarkus.opentelemetry."});
        AREAS.put("Kafka client", new String[]{"org.apache.kafka."});
        AREAS.put("logging", new String[]{"org.jboss.logmanager.", "org.jboss.logging."});
        AREAS.put("Mutiny", new String[]{"io.smallrye.mutiny."});
        AREAS.put("GC / JIT (no Java frame)", new String[0]);
    }

    private BenchProfile() {
    }

    public static void main(String[] args) throws Exception {
        summarize(Path.of(args[0])).forEach(System.out::println);
    }

    /** Writes {@code <bench-dir>/profile/summary.txt} from the phases' recordings; returns its lines. */
    static List<String> summarize(Path benchDir) throws Exception {
        Path dir = benchDir.resolve("profile");
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".jfr")).sorted().toList();
        }
        for (Path file : files) {
            summarize(file, out);
        }
        Files.write(dir.resolve("summary.txt"), out);
        return out;
    }

    private static void summarize(Path file, List<String> out) throws Exception {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                areas.merge("GC / JIT (no Java frame)", 1, Integer::sum);
                samples++;
                continue;
            }
            samples++;
            RecordedFrame first = stack.getFrames().get(0);
            top.merge(name(first), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String type = frame.getMethod().getType().getName();
                for (Map.Entry<String, String[]> area : AREAS.entrySet()) {
                    for (String prefix : area.getValue()) {
                        if (type.startsWith(prefix) && seen.add(area.getKey())) {
                            areas.merge(area.getKey(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        out.add("== " + file.getFileName() + ": " + samples
                + " execution samples (Java threads on CPU, one per 10 ms per thread with settings=profile)");
        int total = Math.max(1, samples);
        out.add("  stacks passing through (a sample counts once per area):");
        areas.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(
                e -> out.add(String.format(Locale.ROOT, "    %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey())));
        out.add("  hottest methods (top frame):");
        top.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(15).forEach(
                e -> out.add(String.format(Locale.ROOT, "    %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey())));
        out.add("");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
