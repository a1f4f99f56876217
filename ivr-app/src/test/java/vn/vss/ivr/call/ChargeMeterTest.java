package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
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
    void givenSixtySecondsPass_thenMinuteTwoIsChargedWhenItStarts() {
        meter.start();
        clock.advance(Duration.ofSeconds(59));
        meter.tick();
        assertThat(ledger.minutes(CALL)).containsExactly(1);
        clock.advance(Duration.ofSeconds(1));
        meter.tick();
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
