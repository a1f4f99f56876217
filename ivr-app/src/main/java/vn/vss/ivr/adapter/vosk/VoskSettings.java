package vn.vss.ivr.adapter.vosk;

import java.time.Duration;

/**
 * How the Vosk recogniser runs.
 *
 * @param decodingThreads utterances decoded at once; more than the cores adds nothing
 * @param queueCapacity utterances that may wait for a decoding thread; beyond that a caller is sent
 *     to the keypad at once
 * @param timeLimit the longest a caller waits for a result, counted from the end of the recording,
 *     queueing included
 * @param breakerFailures consecutive failures or time-outs that switch recognition off
 * @param breakerCooldown how long it stays off before a test decoding may switch it back on
 * @param decoding how each utterance is decoded
 */
public record VoskSettings(
        int decodingThreads,
        int queueCapacity,
        Duration timeLimit,
        int breakerFailures,
        Duration breakerCooldown,
        DecodingOptions decoding) {

    public VoskSettings {
        if (decodingThreads < 1) {
            throw new IllegalArgumentException("decodingThreads must be at least 1");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity cannot be negative");
        }
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive");
        }
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("breakerFailures must be at least 1");
        }
        if (breakerCooldown == null || breakerCooldown.isNegative()) {
            throw new IllegalArgumentException("breakerCooldown cannot be negative");
        }
        if (decoding == null) {
            throw new IllegalArgumentException("decoding options are required");
        }
    }

    /** One decoding thread per core, 3 s per utterance, off after 3 failures in a row for 30 s. */
    public static VoskSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new VoskSettings(
                cores, 4 * cores, Duration.ofSeconds(3), 3, Duration.ofSeconds(30), DecodingOptions.defaults());
    }

    public VoskSettings withDecodingThreads(int threads) {
        return new VoskSettings(threads, 4 * threads, timeLimit, breakerFailures, breakerCooldown, decoding);
    }

    public VoskSettings withTimeLimit(Duration limit) {
        return new VoskSettings(decodingThreads, queueCapacity, limit, breakerFailures, breakerCooldown, decoding);
    }

    public VoskSettings withBreaker(int failures, Duration cooldown) {
        return new VoskSettings(decodingThreads, queueCapacity, timeLimit, failures, cooldown, decoding);
    }

    public VoskSettings withDecoding(DecodingOptions options) {
        return new VoskSettings(decodingThreads, queueCapacity, timeLimit, breakerFailures, breakerCooldown, options);
    }
}
