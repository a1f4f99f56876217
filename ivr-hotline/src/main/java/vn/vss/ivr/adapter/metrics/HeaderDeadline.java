package vn.vss.ivr.adapter.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request headers take longer than the header time-out. Jetty's idle
 * time-out starts again with every byte, so a client sending a header one byte every few seconds,
 * or one line and then nothing, would keep a connection for as long as it likes; this puts a limit
 * on the headers as a whole. The clock runs from connecting for the first request of a connection,
 * and from its first byte for each later one; a kept-alive connection waiting for its next request
 * is left to the idle time-out.
 *
 * <p>Jetty has no public hook for "headers complete", so a sweep reads each connection's parser
 * state a few times per time-out: the limit holds to within one sweep interval.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {
    private final long limitNanos;
    private final Runnable onTimeout;
    private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** One open connection: when it opened, whether it has had a request, when a partial one began. */
    private static final class Watch {
        final long openedAt = System.nanoTime();
        volatile boolean served;
        /** Only the sweeper reads and writes this: when it first saw a later request in progress. */
        long partialSince = -1;
    }

    HeaderDeadline(Duration limit, Runnable onTimeout) {
        this.limitNanos = limit.toNanos();
        this.onTimeout = onTimeout;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "http-header-deadline");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(20, Math.min(500, limit.toMillis() / 10));
        sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Watch());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** The connection's request headers are in: its later requests get the clock from their first byte. */
    void requestArrived(Connection connection) {
        Watch watch = open.get(connection);
        if (watch != null) {
            watch.served = true;
        }
    }

    /** Open connections being watched (for tests and the supervisor's curiosity). */
    int openConnections() {
        return open.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, watch) -> {
            try {
                long since = waitingSince(connection, watch, now);
                if (since >= 0 && now - since > limitNanos) {
                    open.remove(connection);
                    connection.getEndPoint().close();
                    onTimeout.run();
                }
            } catch (RuntimeException e) {
                // a connection closing under our feet; the next sweep no longer sees it
            }
        });
    }

    /** Since when the connection has been waiting for request headers, or -1 if it is not. */
    private static long waitingSince(Connection connection, Watch watch, long now) {
        if (!(connection instanceof HttpConnection http)) {
            return -1;
        }
        HttpParser parser = http.getParser();
        if (!parser.inHeaderState()) {
            watch.partialSince = -1; // headers complete: the request is being answered
            return -1;
        }
        if (parser.isStart()) {
            watch.partialSince = -1; // no byte of a request yet
            return watch.served ? -1 : watch.openedAt;
        }
        if (watch.partialSince < 0) {
            watch.partialSince = now;
        }
        return watch.served ? watch.partialSince : watch.openedAt;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
