package dev.transcript.projection.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * command-service as it ships: its executable jar in a child process of this JVM (same java), on a free port,
 * its output in a log file. Stopped with its descendants on {@link #close()}.
 */
public final class CommandServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private CommandServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param settings Spring properties without the leading {@code --}, e.g. {@code spring.datasource.url=…}
     */
    public static CommandServiceProcess start(List<String> settings, Path log) {
        Path jar = repositoryRoot().resolve("command-service/target/command-service.jar");
        if (!Files.isRegularFile(jar)) {
            fail("%s is missing: build command-service first (mvn -pl command-service -am package -DskipTests; "
                    + "the root 'mvn verify' builds command-service before projection-service)", jar);
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--server.port=" + port));
        settings.forEach(setting -> command.add("--" + setting));
        // A small pool: the test sends a few requests at a time, and the PostgreSQL it shares with every cached
        // test context has 100 connections in all (a setting given twice would be read as a list).
        if (settings.stream().noneMatch(setting -> setting.startsWith("spring.datasource.hikari."))) {
            command.add("--spring.datasource.hikari.maximum-pool-size=8");
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new CommandServiceProcess(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Polls {@code /actuator/health} until it says UP; fails early, with the log's tail, if the process dies. */
    public CommandServiceProcess awaitHealthy(Duration atMost) {
        Http http = new Http(port);
        await("command-service healthy on port " + port).atMost(atMost).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    assertThat(process.isAlive()).as("command-service exited with %s; its log ends:%n%s",
                            process.isAlive() ? null : process.exitValue(), tail()).isTrue();
                    Http.Answer health = http.get("/actuator/health");
                    return health.status() == 200 && "UP".equals(health.field("status"));
                });
        return this;
    }

    public int port() {
        return port;
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The java running this test, so the child runs on the same JDK. */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The nearest directory at or above the working directory that holds {@code .git}. */
    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no .git at or above " + start);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
