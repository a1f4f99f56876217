package vn.vss.ivr.adapter.metrics;

import java.time.Duration;

/**
 * What one HTTP client may hold of the metrics and health server. A request's headers must arrive
 * within {@code headerTimeout}; a kept-alive connection without a request for {@code idleTimeout}
 * is closed; beyond {@code maxConnections} open connections, new ones wait in the socket's backlog.
 */
public record HttpLimits(Duration headerTimeout, Duration idleTimeout, int maxConnections) {
    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 500);
    }
}
