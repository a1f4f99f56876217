package vn.vss.ivr.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database: the configured server, or an embedded one started here. Migrated by
 * Flyway at start, pooled by HikariCP, queried through jOOQ with a time limit on every statement.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource, DSLContext dsl) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.dsl = dsl;
    }

    public static Database start(DatabaseSettings settings, MeterRegistry registry) throws IOException {
        long started = System.nanoTime();
        EmbeddedPostgres embedded = null;
        String url;
        String user = settings.user();
        String password = settings.password();
        if (settings.jdbcUrl().isPresent()) {
            url = settings.jdbcUrl().get();
        } else {
            Files.createDirectories(settings.embeddedDataDirectory());
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(settings.embeddedDataDirectory())
                    .setCleanDataDirectory(false)
                    .setPort(settings.embeddedPort())
                    // Charges are money: every commit reaches the disk (the test default is off).
                    .setServerConfig("synchronous_commit", "on")
                    // After a crash PostgreSQL first replays its log; on a busy machine that can take a while.
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .start();
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
            log.info(
                    "embedded PostgreSQL started on port {} with data in {}",
                    embedded.getPort(),
                    settings.embeddedDataDirectory());
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(settings.poolSize());
        pool.setConnectionTimeout(settings.connectionTimeout().toMillis());
        pool.setPoolName("ivr-db");
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        pool.addDataSourceProperty(
                "socketTimeout", Math.max(1, settings.queryTimeout().toSeconds() * 2));
        pool.addDataSourceProperty("ApplicationName", "ivr-app");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        Settings jooqSettings = new Settings()
                .withQueryTimeout((int) Math.max(1, settings.queryTimeout().toSeconds()))
                .withExecuteLogging(false);
        DSLContext dsl = DSL.using(dataSource, SQLDialect.POSTGRES, jooqSettings);
        dsl.configuration().set(new StatementTimer(registry));
        log.info("database ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        return new Database(embedded, dataSource, dsl);
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** True when the database answers a trivial query now. */
    public boolean answers() {
        try {
            return dsl.selectOne().fetchOne() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
            }
        }
    }
}
