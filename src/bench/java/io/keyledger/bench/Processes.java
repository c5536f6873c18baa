package io.keyledger.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes of a bench run (Kafka, the service, nginx, wrk, pgbench, psql): started with ProcessBuilder, their
 * output in a log file, stopped with SIGTERM, a bounded wait, then SIGKILL.
 */
final class Processes {

    private Processes() {
    }

    /** A process the run started and must stop. */
    static final class Child {
        private final String name;
        private final Process process;

        private Child(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        /** SIGTERM, up to {@code seconds} for it to exit, then SIGKILL. */
        void stop(int seconds) {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    BenchSupport
                            .log(name + " (pid " + process.pid() + ") did not stop in " + seconds + "s; killing it");
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return name + " (pid " + process.pid() + ")";
        }
    }

    /** Starts {@code command} with the run's environment plus {@code env}; stdout and stderr to {@code log}. */
    static Child start(String name, List<String> command, Map<String, String> env, Path log) {
        return new Child(name, launch(command, env, null, log, false));
    }

    /** Runs {@code command} to its end; stdout and stderr to {@code log} (appended when {@code append}); its exit code. */
    static int run(List<String> command, Map<String, String> env, Path dir, Path log, boolean append) {
        Process process = launch(command, env, dir, log, append);
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while running " + command.get(0));
        }
    }

    /** Runs {@code command} to its end with stdout to {@code stdout} and stderr to {@code stderr}; its exit code. */
    static int run(List<String> command, Path stdout, Path stderr) {
        try {
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            return process.waitFor();
        } catch (IOException e) {
            throw new BenchFailure("could not start " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while running " + command.get(0));
        }
    }

    /** What a short command prints (stdout and stderr), trimmed; empty when it cannot run. */
    static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return out.trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The first line of what a short command prints. */
    static String firstLine(String... command) {
        String out = output(command);
        int end = out.indexOf('\n');
        return end < 0 ? out : out.substring(0, end);
    }

    /** An executable of that name on the PATH, or null. */
    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The last lines of a log, for a failure message. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    private static Process launch(List<String> command, Map<String, String> env, Path dir, Path log, boolean append) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                append ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new BenchFailure("could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }
}
