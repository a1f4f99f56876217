package vn.vss.ivr.adapter.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the data lives. Without a JDBC URL the app runs its own embedded PostgreSQL in
 * {@code embeddedDataDirectory}.
 */
public record DatabaseSettings(
        Optional<String> jdbcUrl,
        String user,
        String password,
        Path embeddedDataDirectory,
        int embeddedPort,
        int poolSize,
        Duration connectionTimeout,
        Duration queryTimeout) {

    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl.orElse("embedded at " + embeddedDataDirectory) + ", pool " + poolSize
                + "]";
    }
}
