package io.keyledger.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Where the CPU goes in a phase, in % of one core, from /proc: the service, PostgreSQL (only when it runs on this
 * machine), Kafka, the load generator, everything else, and idle. Usually the explanation of a ratio.
 */
final class CpuMeter {

    private final int clockTicks;
    /** The postmaster's pid, or 0 when PostgreSQL is not a process we can read. */
    private final long postmaster;

    private final LongSupplier servicePid;
    private final LongSupplier kafkaPid;

    CpuMeter(int clockTicks, long postmaster, LongSupplier servicePid, LongSupplier kafkaPid) {
        this.clockTicks = clockTicks;
        this.postmaster = postmaster;
        this.servicePid = servicePid;
        this.kafkaPid = kafkaPid;
    }

    /** Clock ticks per second of /proc's figures (getconf CLK_TCK). */
    static int clockTicks() {
        try {
            return Integer.parseInt(Processes.output("getconf", "CLK_TCK"));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** The ticks at a phase's start. */
    record Mark(long millis, long service, long kafka, long postgres, long busy, long idle) {
    }

    Mark mark() {
        long[] machine = machineTicks();
        return new Mark(System.currentTimeMillis(), ticksWithChildren(servicePid.getAsLong()),
                ticksWithChildren(kafkaPid.getAsLong()), postgresTicks(), machine[0], machine[1]);
    }

    /** The phase from {@code start} to now, given the load generator's CPU seconds: the {@code cpu} object of a phase file. */
    ObjectNode since(Mark start, double loadGeneratorSeconds) {
        Mark end = mark();
        double seconds = (end.millis() - start.millis()) / 1000.0;
        if (seconds <= 0) {
            seconds = 1;
        }
        double percentPerTick = 100.0 / clockTicks / seconds;
        double service = (end.service() - start.service()) * percentPerTick;
        double kafka = (end.kafka() - start.kafka()) * percentPerTick;
        double postgres = (end.postgres() - start.postgres()) * percentPerTick;
        double loadGenerator = loadGeneratorSeconds * 100 / seconds;
        double other = (end.busy() - start.busy()) * percentPerTick - service - kafka - (postmaster > 0 ? postgres : 0)
                - loadGenerator;
        ObjectNode cpu = JsonNodeFactory.instance.objectNode();
        cpu.put("wall_s", Math.round(seconds * 10) / 10.0);
        cpu.put("service", Math.round(service));
        if (postmaster > 0) {
            cpu.put("postgres", Math.round(postgres));
        } else {
            cpu.putNull("postgres");
        }
        cpu.put("kafka", Math.round(kafka));
        cpu.put("load_generator", Math.round(loadGenerator));
        cpu.put("other", Math.round(Math.max(0, other)));
        cpu.put("idle", Math.round((end.idle() - start.idle()) * percentPerTick));
        return cpu;
    }

    /** CPU seconds of this JVM's children that have ended since a mark of {@link #reapedChildrenTicks()}. */
    double childSecondsSince(long reapedTicks) {
        return (reapedChildrenTicks() - reapedTicks) / (double) clockTicks;
    }

    /** CPU seconds of this JVM itself since a mark of {@link #ownTicks()} (a load generated in-process). */
    double ownSecondsSince(long ownTicks) {
        return (ownTicks() - ownTicks) / (double) clockTicks;
    }

    /** utime + stime of this JVM. */
    static long ownTicks() {
        long[] f = stat("self");
        return f == null ? 0 : f[14] + f[15];
    }

    /** cutime + cstime of this JVM: its children that ended and were waited for (what bash's {@code time} reports). */
    static long reapedChildrenTicks() {
        long[] f = stat("self");
        return f == null ? 0 : f[16] + f[17];
    }

    /** A process's own ticks (utime + stime); 0 when there is no such process. */
    static long ticks(long pid) {
        long[] f = pid > 0 ? stat(String.valueOf(pid)) : null;
        return f == null ? 0 : f[14] + f[15];
    }

    /** A process's ticks plus those of its children that ended; 0 when there is no such process. */
    static long ticksWithChildren(long pid) {
        long[] f = pid > 0 ? stat(String.valueOf(pid)) : null;
        return f == null ? 0 : f[14] + f[15] + f[16] + f[17];
    }

    /** How busy the machine is before the run adds anything, over {@code millis}. */
    static double busyPercent(long millis) throws InterruptedException {
        long[] a = machineTicks();
        Thread.sleep(millis);
        long[] b = machineTicks();
        double busy = b[0] - a[0];
        double all = busy + b[1] - a[1];
        return all > 0 ? Math.round(1000 * busy / all) / 10.0 : 0;
    }

    /** The postmaster and its ended backends, plus its live backends. */
    private long postgresTicks() {
        if (postmaster <= 0) {
            return 0;
        }
        long total = ticksWithChildren(postmaster);
        for (ProcessHandle backend : ProcessHandle.of(postmaster).map(p -> p.children().toList())
                .orElse(java.util.List.of())) {
            long[] f = stat(String.valueOf(backend.pid()));
            if (f != null) {
                total += f[14] + f[15];
            }
        }
        return total;
    }

    /** {busy, idle} ticks of the whole machine: user nice system irq softirq steal, and idle iowait. */
    private static long[] machineTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                            + Long.parseLong(f[6]) + Long.parseLong(f[7]) + Long.parseLong(f[8]);
                    return new long[]{busy, Long.parseLong(f[4]) + Long.parseLong(f[5])};
                }
            }
        } catch (IOException e) {
            // no /proc: the figures are zero
        }
        return new long[]{0, 0};
    }

    /** /proc/PID/stat as numbered in proc(5) (index 14 is utime); null when the process is gone. */
    private static long[] stat(String pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", pid, "stat"));
        } catch (IOException e) {
            return null;
        }
        // the command name (field 2) may hold spaces: the fields after it start at the last ')'
        String[] rest = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        long[] fields = new long[rest.length + 3];
        for (int i = 1; i < rest.length; i++) {
            try {
                fields[i + 3] = Long.parseLong(rest[i]);
            } catch (NumberFormatException e) {
                fields[i + 3] = 0;
            }
        }
        return fields;
    }
}
