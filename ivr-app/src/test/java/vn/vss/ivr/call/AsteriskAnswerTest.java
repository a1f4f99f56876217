package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsteriskAnswerTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private static final Duration LONGEST = Duration.ofMinutes(10);

    @Test
    void givenAnAnswerFiftySecondsAgo_thenItIsTakenToTheMillisecond() {
        Instant answered = NOW.minusMillis(50_123);
        assertThat(read(Long.toString(answered.toEpochMilli())).answeredAt()).contains(answered);
    }

    @Test
    void givenAnAnswerAFewSecondsAhead_thenItCountsAsNow() {
        assertThat(read(Long.toString(NOW.plusSeconds(3).toEpochMilli())).answeredAt())
                .contains(NOW);
    }

    @Test
    void givenAnAnswerJustWithinTheLongestCall_thenItIsTaken() {
        assertThat(read(Long.toString(NOW.minus(LONGEST).toEpochMilli())).answeredAt())
                .isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "abc", "-5", "1764491234567 ", "+1764491234567", "1e12", "9999999999999999", "176449123.4"})
    void givenAValueThatIsNotEpochMilliseconds_thenItIsRefusedWithoutQuotingIt(String value) {
        AsteriskAnswer.Reading reading = read(value);
        assertThat(reading.answeredAt()).isEmpty();
        assertThat(reading.problem()).hasValueSatisfying(problem -> {
            if (!value.isEmpty()) {
                assertThat(problem).doesNotContain(value);
            }
        });
    }

    @Test
    void givenAnAnswerTooFarAheadOrTooOld_thenItIsRefused() {
        assertThat(read(Long.toString(NOW.plusSeconds(6).toEpochMilli())).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("future"));
        assertThat(read(Long.toString(NOW.minus(LONGEST).minusMillis(1).toEpochMilli()))
                        .problem())
                .hasValueSatisfying(p -> assertThat(p).contains("IVR_MAX_CALL_DURATION"));
    }

    @Test
    void givenNoValue_thenNoneIsTaken() {
        assertThat(read(null).answeredAt()).isEmpty();
    }

    private static AsteriskAnswer.Reading read(String value) {
        return AsteriskAnswer.read(value, NOW, LONGEST);
    }
}
