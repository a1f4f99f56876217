package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.vss.ivr.support.FakeChargeLedger;
import vn.vss.ivr.support.MutableClock;

class ChargeMeterTest {
    private static final CallRef CALL = CallRef.next();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));
    private final FakeChargeLedger ledger = new FakeChargeLedger();
    private final ChargeMeter meter = new ChargeMeter(CALL, ledger, CallMetrics.NONE, clock, 1_000, 10);

    @Test
    void givenAnAnswer_thenMinuteOneIsChargedAtOnce() {
        meter.start();
        assertThat(ledger.minutes(CALL)).containsExactly(1);
    }

    @Test
    void givenExactlySixtySeconds_thenMinuteTwoIsNotYetDue_andOneMillisecondMoreMakesItDue() {
        meter.start();
        clock.advance(Duration.ofSeconds(60));
        meter.tick();
        assertThat(ledger.minutes(CALL)).containsExactly(1);
        clock.advance(Duration.ofMillis(1));
        meter.tick();
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2);
    }

    @ParameterizedTest(name = "{0} ms -> {1} minute(s)")
    @CsvSource({
        "0, 1",
        "1, 1",
        "59900, 1",
        "60000, 1",
        "60001, 2",
        "119999, 2",
        "120000, 2",
        "120001, 3",
        "599999, 10",
        "600000, 10"
    })
    void givenACallOfThisLength_thenItIsBilledWholeMinutesRoundedUp(long millis, int minutes) {
        Instant answeredAt = meter.start();
        clock.advance(Duration.ofMillis(millis));
        meter.tick();
        assertThat(meter.stop(answeredAt.plusMillis(millis))).isEqualTo(minutes);
        assertThat(ledger.minutes(CALL)).hasSize(minutes);
        assertThat(ledger.totalVnd(CALL)).isEqualTo(minutes * 1_000L);
        assertThat(ChargeMeter.billedMinutes(Duration.ofMillis(millis))).isEqualTo(minutes);
    }

    @Test
    void givenAnAnswerFiftySecondsBeforeTheMeterStarts_thenMinuteTwoIsDueTenSecondsLater() {
        Instant answeredAt = clock.instant().minusSeconds(50);
        assertThat(meter.start(answeredAt)).isEqualTo(answeredAt);
        assertThat(ledger.minutes(CALL)).containsExactly(1);
        clock.advance(Duration.ofSeconds(15));
        assertThat(meter.stop()).isEqualTo(2);
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2);
    }

    @Test
    void givenAnAnswerMoreThanAMinuteBeforeTheMeterStarts_thenEveryMinuteAlreadyDueIsChargedAtOnce() {
        meter.start(clock.instant().minusSeconds(61));
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2);
    }

    @Test
    void givenAHangUpAfterTwoMinutesAndOneSecond_thenThreeMinutesAreBilled() {
        meter.start();
        clock.advance(Duration.ofSeconds(121));
        assertThat(meter.stop()).isEqualTo(3);
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2, 3);
        assertThat(ledger.totalVnd(CALL)).isEqualTo(3_000);
    }

    @Test
    void givenTheStopComesLateAfterTheEnd_thenOnlyMinutesStartedBeforeTheEndAreBilled() {
        Instant answeredAt = meter.start();
        clock.advance(Duration.ofSeconds(66));
        assertThat(meter.stop(answeredAt.plusSeconds(59))).isEqualTo(1);
        assertThat(ledger.minutes(CALL)).containsExactly(1);
    }

    @Test
    void givenAMinuteAlreadyWrittenWhenTheStopNamesAnEarlierEnd_thenTheRecordCountsTheWrittenLines() {
        Instant answeredAt = meter.start();
        clock.advance(Duration.ofSeconds(61));
        meter.tick();
        assertThat(meter.stop(answeredAt.plusSeconds(59))).isEqualTo(2);
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2);
    }

    @Test
    void givenTicksAndStopRepeated_thenNoMinuteIsChargedTwice() {
        meter.start();
        clock.advance(Duration.ofSeconds(70));
        meter.tick();
        meter.tick();
        meter.stop();
        meter.stop();
        meter.tick();
        assertThat(ledger.writes()).isEqualTo(2);
        assertThat(ledger.minutes(CALL)).containsExactly(1, 2);
    }

    @Test
    void givenTheLedgerFailsOnce_thenTheMinuteIsWrittenAtTheNextChance() {
        ledger.failNextWrites(1);
        meter.start();
        assertThat(ledger.minutes(CALL)).isEmpty();
        meter.tick();
        assertThat(ledger.minutes(CALL)).containsExactly(1);
    }

    @Test
    void givenACallPastTheMaximumDuration_thenChargesAreCapped() {
        meter.start();
        clock.advance(Duration.ofMinutes(12));
        meter.tick();
        assertThat(meter.stop()).isEqualTo(10);
        assertThat(ledger.minutes(CALL)).hasSize(10);
    }

    @Test
    void givenNoAnswer_thenNothingIsBilled() {
        assertThat(meter.stop()).isZero();
        assertThat(ledger.minutes(CALL)).isEmpty();
    }
}
