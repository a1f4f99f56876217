package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.FakeCallRecords;
import vn.vss.ivr.support.FakeChargeLedger;
import vn.vss.ivr.support.FakePasswordHasher;
import vn.vss.ivr.support.FakeSubscriberDirectory;
import vn.vss.ivr.support.MutableClock;

class MenuCallTest {
    private final FakeCallRecords records = new FakeCallRecords();
    private final FakeChargeLedger ledger = new FakeChargeLedger();
    private final ChargeTicker ticker = new ChargeTicker(Duration.ofHours(1));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T01:00:00Z"));
    private final CallServices services = new CallServices(
            records,
            ledger,
            new FakeSubscriberDirectory(),
            new FakePasswordHasher(),
            SpeechRecognizer.NONE,
            CallMetrics.NONE,
            ticker,
            clock,
            new SecureRandom(),
            CallSettings.defaults());

    @AfterEach
    void stopTicker() {
        ticker.close();
    }

    @Test
    void givenAnAnswerSeventyFiveSecondsAgo_thenTwoMinutesFromTheAnswerAreRecorded() {
        Instant answered = clock.instant().minusSeconds(75);

        assertThat(record(Optional.of(answered))).isEqualTo(2);

        CallRef call = records.onlyCall();
        assertThat(records.answeredAt(call)).isEqualTo(answered);
        assertThat(ledger.minutes(call)).containsExactly(1, 2);
        CallSummary summary = records.onlyClosed();
        assertThat(summary.outcome()).isEqualTo(CallOutcome.ENDED_IN_MENU);
        assertThat(summary.inputMethod()).isEqualTo(InputMethod.NONE);
        assertThat(summary.endedAt()).isEqualTo(clock.instant());
        assertThat(summary.billedMinutes()).isEqualTo(2);
    }

    @Test
    void givenAnAnswerExactlySixtySecondsAgo_thenOneMinuteIsRecorded() {
        assertThat(record(Optional.of(clock.instant().minusSeconds(60)))).isEqualTo(1);
        assertThat(ledger.minutes(records.onlyCall())).containsExactly(1);
    }

    @Test
    void givenNoAnswerTime_thenTheCallIsBilledOneMinuteAsAnsweredNow() {
        assertThat(record(Optional.empty())).isEqualTo(1);
        assertThat(records.answeredAt(records.onlyCall())).isEqualTo(clock.instant());
    }

    @Test
    void givenAMenuCallLongerThanTheMaximum_thenItsChargesAreCapped() {
        assertThat(record(Optional.of(clock.instant().minus(Duration.ofMinutes(15)))))
                .isEqualTo(10);
    }

    private int record(Optional<Instant> answered) {
        CallStart start = new CallStart(
                "1.1",
                "0912345678",
                PhoneNumber.fromCallerId("0912345678"),
                Language.VI,
                answered.orElse(clock.instant()),
                answered);
        return new MenuCall(start, services).record();
    }
}
