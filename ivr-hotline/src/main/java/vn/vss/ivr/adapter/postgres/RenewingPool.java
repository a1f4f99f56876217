package vn.vss.ivr.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, replaced by a fresh one as soon as a database that went away answers again.
 *
 * <p>Why: HikariCP retries a server that went away with a back-off that grows to 5 s between tries,
 * and nothing hurries it. After a restart or a failover the pool would go on failing calls (they hear
 * "unavailable") for up to 5 s while the server already answers. So while the pool holds no
 * connection at all, a watch opens one connection of its own every 250 ms (given at most 1 s); once
 * one opens, a new pool, which connects at once, takes the empty one's place, and the empty one is
 * closed in the background. Each pool has a name of its own (ivr-db, ivr-db-2, ...): their metrics do
 * not clash while both exist.
 */
final class RenewingPool implements DataSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RenewingPool.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(250);
    /** How often a call waiting on an empty pool looks again. */
    private static final Duration EMPTY_POOL_CHECK = Duration.ofMillis(20);
    /** The watch's own connection: how long it may take, in the driver's unit (seconds). */
    private static final String PROBE_TIMEOUT_SECONDS = "1";

    private final HikariConfig template;
    private final AtomicInteger generation = new AtomicInteger(1);
    private final ScheduledExecutorService watch;
    private volatile HikariDataSource pool;

    RenewingPool(HikariConfig template) {
        this.template = template;
        this.pool = new HikariDataSource(named(template.getPoolName()));
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "db-pool-watch");
            thread.setDaemon(true);
            return thread;
        });
        watch.scheduleWithFixedDelay(
                this::renewOnceTheServerAnswers, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renewOnceTheServerAnswers() {
        try {
            HikariDataSource empty = pool;
            HikariPoolMXBean state = empty.getHikariPoolMXBean();
            if (state == null || state.getTotalConnections() > 0 || !serverAnswers()) {
                return;
            }
            pool = new HikariDataSource(named(template.getPoolName() + "-" + generation.incrementAndGet()));
            log.info(
                    "the database answers again: connection pool {} replaces {}, which had no connection left",
                    pool.getPoolName(),
                    empty.getPoolName());
            Thread closing = new Thread(empty::close, "db-pool-close");
            closing.setDaemon(true);
            closing.start();
        } catch (RuntimeException e) {
            log.warn("the connection pool could not be renewed: {}", e.toString());
        }
    }

    /** One connection outside the pool, with the pool's URL, user and driver settings. */
    private boolean serverAnswers() {
        Properties properties = new Properties();
        properties.putAll(template.getDataSourceProperties());
        if (template.getUsername() != null) {
            properties.setProperty("user", template.getUsername());
        }
        if (template.getPassword() != null) {
            properties.setProperty("password", template.getPassword());
        }
        properties.setProperty("loginTimeout", PROBE_TIMEOUT_SECONDS);
        try (Connection connection = DriverManager.getConnection(template.getJdbcUrl(), properties)) {
            return connection.isValid(Integer.parseInt(PROBE_TIMEOUT_SECONDS));
        } catch (SQLException e) {
            return false;
        }
    }

    private HikariConfig named(String name) {
        HikariConfig config = new HikariConfig();
        template.copyStateTo(config);
        config.setPoolName(name);
        return config;
    }

    /**
     * A call does not wait inside an empty pool, which HikariCP refills only after its back-off: it
     * waits until that pool has a connection again or a fresh pool has replaced it, for at most the
     * pool's connection time-out, as it would have waited inside.
     */
    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(template.getConnectionTimeout());
        HikariDataSource current = pool;
        while (isEmpty(current)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new SQLTransientConnectionException(
                        "no connection to the database within " + template.getConnectionTimeout()
                                + " ms: the pool has none left and the server does not answer");
            }
            try {
                Thread.sleep(EMPTY_POOL_CHECK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("interrupted while waiting for a database connection", e);
            }
            current = pool;
        }
        return current.getConnection();
    }

    private static boolean isEmpty(HikariDataSource pool) {
        HikariPoolMXBean state = pool.getHikariPoolMXBean();
        return state != null && state.getTotalConnections() == 0;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool.getConnection(username, password);
    }

    @Override
    public void close() {
        watch.shutdownNow();
        pool.close();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
