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
 * @param leastSnrDb a recording whose speech stands less than this over the line's noise, in dB, is
 *     not decoded but answered {@link vn.vss.ivr.call.Recognition.Status#TOO_NOISY}
 *     ({@link Double#NEGATIVE_INFINITY}: always decode)
 */
public record VoskSettings(
        int decodingThreads,
        int queueCapacity,
        Duration timeLimit,
        int breakerFailures,
        Duration breakerCooldown,
        DecodingOptions decoding,
        double leastSnrDb) {

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
        if (Double.isNaN(leastSnrDb)) {
            throw new IllegalArgumentException("leastSnrDb must be a number");
        }
        if (decoding == null) {
            throw new IllegalArgumentException("decoding options are required");
        }
    }

    /**
     * Below this the speech benchmark measured under a third of callers getting their code through by
     * speech in two tries (at a real 15 dB about a third; at 12 dB, 13 %); the line-noise estimate reads
     * about 1 dB high there, so 15 sends lines of about 13 dB and worse to the keypad.
     */
    public static final double NOISY_LINE_DB = 15;

    /**
     * One decoding thread per core, 3 s per utterance, off after 3 failures in a row for 30 s, lines
     * below {@link #NOISY_LINE_DB} to the keypad.
     */
    public static VoskSettings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new VoskSettings(
                cores,
                4 * cores,
                Duration.ofSeconds(3),
                3,
                Duration.ofSeconds(30),
                DecodingOptions.defaults(),
                NOISY_LINE_DB);
    }

    public VoskSettings withDecodingThreads(int threads) {
        return new VoskSettings(
                threads, 4 * threads, timeLimit, breakerFailures, breakerCooldown, decoding, leastSnrDb);
    }

    public VoskSettings withTimeLimit(Duration limit) {
        return new VoskSettings(
                decodingThreads, queueCapacity, limit, breakerFailures, breakerCooldown, decoding, leastSnrDb);
    }

    public VoskSettings withBreaker(int failures, Duration cooldown) {
        return new VoskSettings(decodingThreads, queueCapacity, timeLimit, failures, cooldown, decoding, leastSnrDb);
    }

    public VoskSettings withDecoding(DecodingOptions options) {
        return new VoskSettings(
                decodingThreads, queueCapacity, timeLimit, breakerFailures, breakerCooldown, options, leastSnrDb);
    }

    public VoskSettings withLeastSnrDb(double db) {
        return new VoskSettings(
                decodingThreads, queueCapacity, timeLimit, breakerFailures, breakerCooldown, decoding, db);
    }
}
