package vn.vss.ivr.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A hot standby of an {@link ExternalPostgres}, streaming its write-ahead log as the replica behind
 * a failover manager does, and promoted to primary when the test says so. It starts from a copy of
 * the primary's data directory taken while the primary is cleanly stopped (what pg_basebackup
 * would give, without needing it), so it holds the same schema and rows from the start.
 */
public final class StandbyPostgres {
    /** Files of a running server that a copy must not take. */
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private StandbyPostgres() {}

    /**
     * Stops {@code primary} for a moment, copies its data directory to {@code directory}, starts the
     * primary again and the standby on a port of its own, streaming from the primary.
     */
    public static ExternalPostgres of(ExternalPostgres primary, Path directory) {
        primary.stop();
        try {
            copy(primary.dataDirectory(), directory);
            Files.writeString(directory.resolve("standby.signal"), "");
            Files.writeString(
                    directory.resolve("postgresql.auto.conf"),
                    "primary_conninfo = 'host=127.0.0.1 port=" + primary.port()
                            + " user=postgres application_name=standby'\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            primary.start();
        }
        return new ExternalPostgres(directory);
    }

    /** What a failover manager does to the surviving replica: it becomes a writable primary. */
    public static void promote(ExternalPostgres standby) {
        Boolean promoted =
                standby.dsl().fetchSingle("select pg_promote(true, 30)").into(Boolean.class);
        if (!Boolean.TRUE.equals(promoted)) {
            throw new IllegalStateException("the standby was not promoted within 30 s");
        }
    }

    /** True while the server only replays another's log (a standby refuses every write). */
    public static boolean isStandby(ExternalPostgres server) {
        return server.dsl().fetchSingle("select pg_is_in_recovery()").into(Boolean.class);
    }

    private static void copy(Path from, Path to) throws IOException {
        // PostgreSQL refuses a data directory that others may read.
        Files.createDirectories(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                if (relative.toString().isEmpty() || NOT_COPIED.contains(relative.toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
