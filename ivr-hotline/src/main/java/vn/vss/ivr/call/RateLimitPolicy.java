package vn.vss.ivr.call;

import java.time.Duration;

/**
 * The limits that protect accounts from guessing and abuse; see the README's configuration table.
 * {@code maxFailuresPerMinute} is hotline-wide: it slows a guessing run spread over many caller IDs,
 * which the per-caller limit cannot see.
 */
public record RateLimitPolicy(
        int maxResetsPerCode,
        Duration resetWindow,
        int maxFailuresPerCaller,
        Duration callerWindow,
        int failuresBeforeCodeLock,
        Duration codeLockDuration,
        Duration reservationLifetime,
        int maxFailuresPerMinute) {

    /**
     * Default hotline-wide ceiling on failed verifications per minute. At the busiest minute of a
     * 100-channel trunk about 70 calls end, and callers mistyping their own code or calling from
     * another phone fail perhaps one in five: some 15 a minute. 60 leaves four times that margin,
     * while the same 100 channels all spent on guessing would fail about 200 a minute (half a
     * minute per call at least), so such a run is slowed to 60 guesses a minute.
     */
    public static final int HOTLINE_FAILURES_PER_MINUTE = 60;

    public static RateLimitPolicy defaults() {
        return new RateLimitPolicy(
                3,
                Duration.ofHours(24),
                5,
                Duration.ofHours(1),
                10,
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                HOTLINE_FAILURES_PER_MINUTE);
    }
}
