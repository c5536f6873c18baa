package io.keyledger.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Supplier;

/**
 * The service's resident memory every 250 ms, tagged with the phase the run is in, appended to {@code rss.txt} as
 * {@code <epoch-ms> <phase> <kB>} (bounded: 30 minutes per service start).
 */
final class RssSampler {

    static final int INTERVAL_MS = 250;
    private static final int MAX_SAMPLES = 7200;

    private final Thread thread;

    private RssSampler(Thread thread) {
        this.thread = thread;
    }

    static RssSampler start(long pid, Supplier<String> phase, Path file) {
        Thread thread = new Thread(() -> {
            for (int n = 0; n < MAX_SAMPLES && !Thread.currentThread().isInterrupted(); n++) {
                Long kb = residentKb(pid);
                if (kb == null) {
                    return;
                }
                try {
                    Files.writeString(file, System.currentTimeMillis() + " " + phase.get() + " " + kb + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(INTERVAL_MS);
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
        return new RssSampler(thread);
    }

    void stop() {
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** memory.json from every sample: the last one of each idle phase, and the peak with the phase it was in. */
    static ObjectNode summary(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        double idleStart = 0;
        double idleAfterLoad = 0;
        double peak = 0;
        String peakPhase = "";
        for (String line : lines) {
            String[] f = line.split(" ");
            double mb = Long.parseLong(f[2]) / 1024.0;
            if (f[1].equals("idle_start")) {
                idleStart = mb;
            } else if (f[1].equals("idle_after_load")) {
                idleAfterLoad = mb;
            }
            if (mb > peak) {
                peak = mb;
                peakPhase = f[1];
            }
        }
        ObjectNode memory = JsonNodeFactory.instance.objectNode();
        memory.put("idle_start_mb", oneDecimal(idleStart));
        memory.put("idle_after_load_mb", oneDecimal(idleAfterLoad));
        memory.put("peak_mb", oneDecimal(peak));
        memory.put("peak_phase", peakPhase);
        memory.put("samples", lines.size());
        memory.put("sample_interval_ms", INTERVAL_MS);
        return memory;
    }

    private static double oneDecimal(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static Long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
