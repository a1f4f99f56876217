package vn.vss.ivr.adapter.postgres;

import java.time.Duration;

/** The limits that protect accounts from guessing and abuse; see the README's configuration table. */
public record RateLimitPolicy(
        int maxResetsPerCode,
        Duration resetWindow,
        int maxFailuresPerCaller,
        Duration callerWindow,
        int failuresBeforeCodeLock,
        Duration codeLockDuration,
        Duration reservationLifetime) {

    public static RateLimitPolicy defaults() {
        return new RateLimitPolicy(
                3, Duration.ofHours(24), 5, Duration.ofHours(1), 10, Duration.ofHours(1), Duration.ofMinutes(1));
    }
}
