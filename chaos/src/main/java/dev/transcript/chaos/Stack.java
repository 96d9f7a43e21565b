package dev.transcript.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The chaos run's own stack, through bin/stack (its environment names the state directory and ports):
 * {@code up} starts whatever part is not running, {@code down} stops everything; {@link #kill} sends
 * SIGKILL to one part, found by bin/stack's pid files.
 */
final class Stack {

    /** The parts killed in turn, as bin/stack names them. */
    enum Part {
        COMMAND_SERVICE("command-service"),
        PROJECTION_SERVICE("projection-service"),
        KAFKA("kafka"),
        POSTGRES("postgres");

        final String name;

        Part(String name) {
            this.name = name;
        }
    }

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);

    private final Path repo;
    private final Path stackDir;
    private int ups;

    Stack(Path repo, Path stackDir) {
        this.repo = repo;
        this.stackDir = stackDir;
    }

    /** bin/stack up; its output goes to a log of its own, each call another. */
    void up() throws IOException, InterruptedException {
        Path log = stackDir.resolve("chaos/stack-up-" + (++ups) + ".log");
        if (run(log, "up") != 0) {
            throw new IOException("bin/stack up failed; its output: " + log + "\n" + tail(log));
        }
    }

    void down() throws IOException, InterruptedException {
        Path log = stackDir.resolve("chaos/stack-down.log");
        if (run(log, "down") != 0) {
            throw new IOException("bin/stack down failed; its output: " + log + "\n" + tail(log));
        }
    }

    /**
     * kill -9 of a part. For PostgreSQL that is the embedded server itself, as a power cut would take it:
     * the postmaster and every backend at once, then the JVM wrapper bin/stack tracks (pg_ctl daemonized the
     * postmaster, so killing the wrapper alone would leave the server running).
     */
    List<Long> kill(Part part) throws IOException, InterruptedException {
        List<ProcessHandle> victims = new ArrayList<>();
        if (part == Part.POSTGRES) {
            ProcessHandle postmaster = postmaster().orElseThrow(() ->
                    new IOException("no embedded postmaster found in " + postgresData()));
            victims.add(postmaster);
            victims.addAll(postmaster.descendants().toList());
        }
        victims.add(tracked(part).orElseThrow(() -> new IOException(part.name + " is not running")));
        victims.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plusSeconds(30);
        while (victims.stream().anyMatch(ProcessHandle::isAlive)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException(part.name + " still runs 30 s after SIGKILL");
            }
            Thread.sleep(50);
        }
        return victims.stream().map(ProcessHandle::pid).toList();
    }

    private Optional<ProcessHandle> tracked(Part part) throws IOException {
        Path pidFile = stackDir.resolve("pids/" + part.name + ".pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
    }

    private Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = postgresData().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String first = Files.readAllLines(pidFile).getFirst().trim();
        return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
    }

    private Path postgresData() {
        return stackDir.resolve("postgres/data");
    }

    private int run(Path log, String command) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(repo.resolve("bin/stack").toString(), command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(UP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("bin/stack " + command + " did not finish within " + UP_TIMEOUT);
        }
        return process.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    static double secondsSince(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
