package vn.vss.ivr.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
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
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
