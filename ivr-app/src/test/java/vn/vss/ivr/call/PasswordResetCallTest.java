package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.call.Prompt.CODE_INVALID;
import static vn.vss.ivr.call.Prompt.GOODBYE;
import static vn.vss.ivr.call.Prompt.MISMATCH;
import static vn.vss.ivr.call.Prompt.OTHER_WAYS;
import static vn.vss.ivr.call.Prompt.PASSWORD_AGAIN;
import static vn.vss.ivr.call.Prompt.PASSWORD_INTRO;
import static vn.vss.ivr.call.Prompt.TOO_MANY_TRIES;
import static vn.vss.ivr.call.Prompt.UNAVAILABLE;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.FakeCallRecords;
import vn.vss.ivr.support.FakeCallerChannel;
import vn.vss.ivr.support.FakeChargeLedger;
import vn.vss.ivr.support.FakePasswordHasher;
import vn.vss.ivr.support.FakeSubscriberDirectory;
import vn.vss.ivr.support.MutableClock;

class PasswordResetCallTest {
    private static final String CODE = "0123456789";
    private static final String REGISTERED = "0912345678";

    private final FakeSubscriberDirectory directory = new FakeSubscriberDirectory().register(CODE, "+84912345678");
    private final FakeCallRecords records = new FakeCallRecords();
    private final FakeChargeLedger ledger = new FakeChargeLedger();
    private final FakePasswordHasher hasher = new FakePasswordHasher();
    private final ChargeTicker ticker = new ChargeTicker(Duration.ofHours(1));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));
    private final CallSettings settings = new CallSettings(
            3,
            Duration.ofSeconds(5),
            8,
            4,
            Duration.ofHours(24),
            3,
            Duration.ofSeconds(4),
            Duration.ZERO,
            1_000,
            Duration.ofMinutes(10),
            CallSettings.SpeechSettings.defaults());

    @AfterEach
    void stopTicker() {
        ticker.close();
    }

    private CallOutcome call(FakeCallerChannel caller, String from) {
        CallServices services = new CallServices(
                records,
                ledger,
                directory,
                hasher,
                SpeechRecognizer.NONE,
                CallMetrics.NONE,
                ticker,
                clock,
                new SecureRandom(),
                settings);
        CallStart start = new CallStart("1.1", from, PhoneNumber.fromCallerId(from), Language.VI, clock.instant());
        return new PasswordResetCall(caller, start, services).run();
    }

    @Test
    void givenTheRegisteredNumberAndItsCode_thenTheStoredPasswordIsTheOneReadTwice() {
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE);

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.PASSWORD_HEARD);

        String first = caller.digitsAfter(PASSWORD_INTRO, 1);
        assertThat(first).hasSize(8).containsOnlyDigits();
        assertThat(caller.digitsAfter(PASSWORD_AGAIN, 1)).isEqualTo(first);
        assertThat(hasher.verify(first.toCharArray(), directory.hash(CODE).orElseThrow()))
                .isTrue();
        assertThat(records.onlyClosed().billedMinutes()).isEqualTo(1);
        assertThat(caller.played()).endsWith(GOODBYE);
    }

    @Test
    void givenThePasswordIsInForce_thenTheCodeStaysReservedUntilTheCallEnds() {
        List<Boolean> reservedWhileInForce = new ArrayList<>();
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE).onEachPrompt(() -> {
            if (directory.hash(CODE).isPresent()) {
                reservedWhileInForce.add(directory.isReserved(CODE));
            }
        });

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.PASSWORD_HEARD);

        assertThat(reservedWhileInForce).isNotEmpty().containsOnly(true);
        assertThat(directory.isReserved(CODE)).isFalse();
    }

    @Test
    void givenAHangUpBeforeTheLastDigitOfTheFirstReading_thenTheOldPasswordStays() {
        // welcome, ask-code, password-intro, then 8 digits with 7 silences between them: 18 prompts
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE).hangUpAfterPrompts(17);

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.HUNG_UP_DURING_PASSWORD);

        assertThat(directory.hash(CODE)).isEmpty();
        assertThat(directory.isReserved(CODE)).isFalse();
    }

    @Test
    void givenAHangUpJustBeforeTheSecondMinuteAndASlowDatabaseAfterIt_thenOneMinuteIsBilled() {
        // 17 prompts of 3.5 s: the caller hangs up 59.5 s after answer, during the first reading;
        // releasing the code then takes 5 s, which must not start a second minute.
        Instant answeredAt = clock.instant();
        FakeCallerChannel caller = new FakeCallerChannel()
                .entry(CODE)
                .hangUpAfterPrompts(17)
                .onEachPrompt(() -> clock.advance(Duration.ofMillis(3_500)));
        directory.onRelease(() -> clock.advance(Duration.ofSeconds(5)));

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.HUNG_UP_DURING_PASSWORD);

        assertThat(ledger.minutes(records.onlyCall())).containsExactly(1);
        assertThat(records.onlyClosed().billedMinutes()).isEqualTo(1);
        assertThat(records.onlyClosed().endedAt()).isEqualTo(answeredAt.plusMillis(59_500));
    }

    @Test
    void givenTheCommitsAnswerIsLostButTheResetWasStored_thenTheCallGoesOnWithThePasswordInForce() {
        directory.losesTheAnswerToTheNextCommit();
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE);

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.PASSWORD_HEARD);

        String first = caller.digitsAfter(PASSWORD_INTRO, 1);
        assertThat(caller.digitsAfter(PASSWORD_AGAIN, 1)).isEqualTo(first);
        assertThat(hasher.verify(first.toCharArray(), directory.hash(CODE).orElseThrow()))
                .isTrue();
        assertThat(caller.played()).doesNotContain(UNAVAILABLE);
    }

    @Test
    void givenAHangUpRightAfterTheFirstFullReading_thenTheNewPasswordIsInForce() {
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE).hangUpAfterPrompts(18);

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.PASSWORD_HEARD);

        assertThat(directory.hash(CODE)).isPresent();
    }

    @Test
    void givenAKeyPressedDuringTheWelcome_thenItIsKeptAsTheFirstDigit() {
        FakeCallerChannel caller =
                new FakeCallerChannel().keyDuringPrompt(Prompt.WELCOME, '0').entry("123456789");

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.PASSWORD_HEARD);

        assertThat(caller.played()).doesNotContain(Prompt.ASK_CODE).contains(Prompt.PAUSE);
    }

    @Test
    void givenThreeInvalidEntries_thenAPoliteGoodbyeAndNoLookup() {
        FakeCallerChannel caller =
                new FakeCallerChannel().entry("123").entry("01234567890").entry("*");

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.NO_VALID_CODE);

        assertThat(caller.played()).containsSubsequence(CODE_INVALID, CODE_INVALID, TOO_MANY_TRIES);
        assertThat(records.onlyClosed().codeTries()).isEqualTo(3);
        assertThat(directory.hash(CODE)).isEmpty();
    }

    @Test
    void givenAWrongNumber_thenTheUniformAnswerAndTheOtherWaysToRecover() {
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE);

        assertThat(call(caller, "0987654321")).isEqualTo(CallOutcome.NOT_VERIFIED);

        assertThat(caller.played()).endsWith(MISMATCH, OTHER_WAYS, GOODBYE);
        assertThat(directory.hash(CODE)).isEmpty();
    }

    @Test
    void givenTheDirectoryIsDown_thenTheCallerHearsUnavailableAndTheRecordIsClosed() {
        directory.unavailable();
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE);

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.SERVICE_UNAVAILABLE);

        assertThat(caller.played()).endsWith(UNAVAILABLE, GOODBYE);
        assertThat(records.onlyClosed().outcome()).isEqualTo(CallOutcome.SERVICE_UNAVAILABLE);
        assertThat(ledger.minutes(records.onlyCall())).containsExactly(1);
    }

    @Test
    void givenTheMaximumDurationPassesDuringTheCodeEntry_thenTheCallEndsPolitelyAndNoLookupHappens() {
        FakeCallerChannel caller =
                new FakeCallerChannel().entry("123").onEachPrompt(() -> clock.advance(Duration.ofMinutes(4)));

        assertThat(call(caller, REGISTERED)).isEqualTo(CallOutcome.MAX_DURATION);

        assertThat(caller.played()).endsWith(Prompt.MAX_DURATION, GOODBYE);
        assertThat(records.onlyClosed().billedMinutes()).isEqualTo(10);
        assertThat(directory.hash(CODE)).isEmpty();
    }

    @Test
    void givenThePressOfOneAfterTheOffer_thenThePasswordIsReadAgain() {
        FakeCallerChannel caller = new FakeCallerChannel().entry(CODE).keyDuringPrompt(Prompt.REPEAT_OFFER, '1');

        // the key '1' is consumed by the first repeat offer; the second offer times out
        call(caller, REGISTERED);

        assertThat(caller.played().stream().filter(p -> p == PASSWORD_AGAIN).count())
                .isEqualTo(2);
        assertThat(Optional.of(caller.digitsAfter(PASSWORD_AGAIN, 2))).contains(caller.digitsAfter(PASSWORD_INTRO, 1));
    }
}
