package vn.vss.ivr.call;

import java.time.Duration;

/** The tunable parts of a call; see the README's configuration table. */
public record CallSettings(
        int codeTries,
        Duration perKeyTimeout,
        int passwordLength,
        int passwordGroupSize,
        Duration passwordLifetime,
        int extraRepeats,
        Duration repeatKeyTimeout,
        Duration verificationPace,
        long pricePerMinuteVnd,
        Duration maxCallDuration,
        SpeechSettings speech) {

    /** More keys than a code, so that an over-long entry is seen as such instead of cut to size. */
    public static final int MOST_KEYS_PER_ENTRY = 20;

    /** How a spoken code is asked for and confirmed. */
    public record SpeechSettings(
            int spokenTries, Duration maxAnswer, Duration endOfSpeechSilence, Duration confirmKeyTimeout) {
        public static SpeechSettings defaults() {
            return new SpeechSettings(2, Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(5));
        }
    }

    public CallSettings {
        if (codeTries < 1) {
            throw new IllegalArgumentException("codeTries must be at least 1");
        }
        if (passwordGroupSize < 1) {
            throw new IllegalArgumentException("passwordGroupSize must be at least 1");
        }
        if (maxCallDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("maxCallDuration must be at least 1 s");
        }
        if (pricePerMinuteVnd < 0) {
            throw new IllegalArgumentException("pricePerMinuteVnd must not be negative");
        }
    }

    public static CallSettings defaults() {
        return new CallSettings(
                3,
                Duration.ofSeconds(5),
                8,
                4,
                Duration.ofHours(24),
                3,
                Duration.ofSeconds(4),
                Duration.ofMillis(600),
                1_000,
                Duration.ofMinutes(10),
                SpeechSettings.defaults());
    }
}
