package vn.vss.ivr.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
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
 * Flyway at start, pooled by HikariCP (a fresh pool once the server is back after an outage), queried
 * through jOOQ with a time limit on every statement.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final RenewingPool dataSource;
    private final DSLContext dsl;

    private Database(EmbeddedPostgres embedded, RenewingPool dataSource, DSLContext dsl) {
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
        ridesOutASwitchOver(pool, settings);
        pool.addDataSourceProperty(
                "socketTimeout", Math.max(1, settings.queryTimeout().toSeconds() * 2));
        pool.addDataSourceProperty("ApplicationName", "ivr-app");
        RenewingPool dataSource = null;
        try {
            dataSource = new RenewingPool(pool);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            if (dataSource != null) {
                dataSource.close();
            }
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

    /**
     * A restart or failover leaves the pool holding connections to a server that is gone. Refused or
     * reset ones fail at once; those whose server vanished without a word (a machine or a virtual IP
     * gone) would each hold a caller for the pool's default 5-second check. So a pooled connection is
     * checked within 1 s before use, idle ones every 30 s, and a host that does not even accept a TCP
     * connection within 1 s is passed over for the next host of a multi-host URL. Parameters written
     * in the URL itself win over these.
     */
    private static void ridesOutASwitchOver(HikariConfig pool, DatabaseSettings settings) {
        pool.setValidationTimeout(Math.min(
                VALIDATION_TIMEOUT.toMillis(), settings.connectionTimeout().toMillis()));
        pool.setKeepaliveTime(KEEPALIVE.toMillis());
        pool.addDataSourceProperty("connectTimeout", TCP_CONNECT_TIMEOUT_SECONDS);
    }

    /** The longest check of a pooled connection before a call uses it. */
    private static final java.time.Duration VALIDATION_TIMEOUT = java.time.Duration.ofSeconds(1);
    /** How often an idle pooled connection is checked (HikariCP's shortest). */
    private static final java.time.Duration KEEPALIVE = java.time.Duration.ofSeconds(30);
    /** The driver's limit on opening the TCP connection to one host, in its unit (seconds). */
    private static final int TCP_CONNECT_TIMEOUT_SECONDS = 1;

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
