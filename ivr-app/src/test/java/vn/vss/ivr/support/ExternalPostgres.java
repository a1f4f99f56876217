package vn.vss.ivr.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * A real PostgreSQL that the test starts and stops itself (same data directory and port each time),
 * to stand for the production database server going down and coming back.
 */
public final class ExternalPostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;
    /** The postmaster and its backends while frozen, postmaster first; empty otherwise. */
    private List<Long> frozen = List.of();

    public ExternalPostgres(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.port = freePort();
        start();
    }

    public void start() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // As production must run it: a commit is acknowledged only once it is on disk.
                    // (The embedded library's default, off, loses acknowledged commits in a crash.)
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Freezes the server as a hung machine would be: SIGSTOP to the postmaster first (so it forks no
     * new backend), then to every backend. Connections stay open and new ones are accepted by the
     * kernel, but nothing answers until {@link #thaw()}.
     */
    public synchronized void freeze() {
        long postmaster = postmasterPid();
        signal("-STOP", List.of(postmaster));
        frozen = new ArrayList<>(List.of(postmaster));
        frozen.addAll(ProcessHandle.of(postmaster)
                .map(p -> p.descendants().map(ProcessHandle::pid).toList())
                .orElse(List.of()));
        signal("-STOP", frozen);
    }

    /** Lets a frozen server go on (SIGCONT), backends first. */
    public synchronized void thaw() {
        if (frozen.isEmpty()) {
            return;
        }
        List<Long> backendsFirst = new ArrayList<>(frozen.subList(1, frozen.size()));
        backendsFirst.add(frozen.get(0));
        signal("-CONT", backendsFirst);
        frozen = List.of();
    }

    public synchronized boolean isFrozen() {
        return !frozen.isEmpty();
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        thaw();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server as {@code pg_ctl stop -m immediate} does: SIGQUIT to the postmaster, which
     * cuts every connection at once and writes no shutdown checkpoint, so the next {@link #start()}
     * recovers from the log as after a crash.
     */
    public void stopImmediately() {
        thaw();
        long postmaster = postmasterPid();
        signal("-QUIT", List.of(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().join());
        try {
            // Releases the data directory's lock; its own "pg_ctl stop" finds no server left to stop.
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** The settings that point the app at this server. */
    public Map<String, String> settings() {
        return Map.of("IVR_DB_URL", jdbcUrl(), "IVR_DB_USER", "postgres", "IVR_DB_PASSWORD", "");
    }

    /** A direct connection for the test's own checks. */
    public DSLContext dsl() {
        return DSL.using(server.getPostgresDatabase(), SQLDialect.POSTGRES);
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
