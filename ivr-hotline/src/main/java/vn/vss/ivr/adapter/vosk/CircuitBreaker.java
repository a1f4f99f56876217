package vn.vss.ivr.adapter.vosk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Switches recognition off after {@code threshold} failures in a row, so that callers go straight to
 * the keypad instead of each waiting out a time-out. After the cooldown one test decoding (a probe)
 * may run; only its success switches recognition back on. A probe that never reports is given up
 * after another cooldown.
 */
final class CircuitBreaker {
    private final int threshold;
    private final Duration cooldown;
    private final Clock clock;

    private int consecutiveFailures;
    private Instant openedAt;
    private Instant probeStartedAt;

    CircuitBreaker(int threshold, Duration cooldown, Clock clock) {
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    synchronized boolean isOpen() {
        return openedAt != null;
    }

    /** True if a probe should start now; the caller must then report its outcome. */
    synchronized boolean startProbe() {
        Instant now = clock.instant();
        if (openedAt == null || now.isBefore(openedAt.plus(cooldown))) {
            return false;
        }
        if (probeStartedAt != null && now.isBefore(probeStartedAt.plus(cooldown))) {
            return false;
        }
        probeStartedAt = now;
        return true;
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        openedAt = null;
        probeStartedAt = null;
    }

    /** A failure; true if it opened the breaker. */
    synchronized boolean failed() {
        consecutiveFailures++;
        if (openedAt == null && consecutiveFailures >= threshold) {
            openedAt = clock.instant();
            return true;
        }
        return false;
    }

    synchronized void probeFailed() {
        openedAt = clock.instant();
        probeStartedAt = null;
    }
}
