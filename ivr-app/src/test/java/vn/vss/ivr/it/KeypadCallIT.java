package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** Whole keypad calls through the real FastAGI server, the embedded PostgreSQL and the shipped audio. */
class KeypadCallIT {
    private static final List<String> HAPPY_PATH = List.of(
            "welcome", "ask-code", "password-intro", "password-again", "password-notice", "repeat-offer", "goodbye");
    private static final List<String> NOT_VERIFIED =
            List.of("welcome", "ask-code", "mismatch", "other-ways", "goodbye");

    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenTheRegisteredNumberKeysItsCode_thenItHearsTheNewPasswordTwiceAndTheStoredHashVerifiesIt() {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(call.promptNames())
                .filteredOn(name -> !name.startsWith("digit-") && !name.equals("pause") && !name.equals("gap"))
                .containsExactlyElementsOf(HAPPY_PATH);
        String password = HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(password).hasSize(8).containsOnlyDigits();
        assertThat(call.digitsAfter("password-again", 1)).isEqualTo(password);
        assertThat(call.heard()).allSatisfy(heard -> assertThat(heard.missing()).isFalse());

        SubscriberRecord stored = subscriber(subscriber.code());
        assertThat(new Argon2idPasswordHasher(new SecureRandom())
                        .verify(password.toCharArray(), stored.getPasswordHash()))
                .isTrue();
        assertThat(stored.getPasswordHash())
                .startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
                .doesNotContain(password);
        assertThat(stored.getMustChangePassword()).isTrue();
        assertThat(stored.getPasswordExpiresAt())
                .isBetween(
                        OffsetDateTime.now().plusHours(23), OffsetDateTime.now().plusHours(25));

        CallRecord record = hotline.lastCallFrom(subscriber.phone());
        assertThat(record.getOutcome()).isEqualTo("password_heard");
        assertThat(record.getInputMethod()).isEqualTo("keypad");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
        assertThat(record.getChargedVnd()).isEqualTo(1_000L);
        assertThat(chargeLines(record)).isEqualTo(1);
        System.out.printf(
                "Vietnamese keypad happy path: billed %.1f s%n",
                call.billedTime().toMillis() / 1000.0);
        assertThat(call.billedTime()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(call.hungUpBy()).isEqualTo(CallTranscript.HungUpBy.APP);

        var notices = hotline.dsl()
                .selectFrom(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.BHXH_CODE.eq(subscriber.code()))
                .fetch();
        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.getKind()).isEqualTo("password_reset_by_phone");
            assertThat(notice.getPhoneE164())
                    .isEqualTo("+84" + subscriber.phone().substring(1));
            assertThat(notice.getSentAt()).isNull();
            assertThat(notice.toString()).doesNotContain(password);
        });
    }

    @Test
    void givenAnUnknownCodeAWrongNumberOrALockedAccount_thenTheCallerHearsTheSameAndNoPasswordChanges() {
        Subscriber wrongNumberTarget = hotline.freshSubscriber();
        Subscriber locked = hotline.freshSubscriber();
        hotline.dsl()
                .update(SUBSCRIBER)
                .set(SUBSCRIBER.LOCKED_UNTIL, OffsetDateTime.now().plusHours(1))
                .where(SUBSCRIBER.BHXH_CODE.eq(locked.code()))
                .execute();
        String unknownCode = "4" + hotline.freshSubscriber().code().substring(1);

        CallTranscript unknown =
                hotline.call(CallerScript.from(hotline.freshStranger()).keys(unknownCode + "#"));
        CallTranscript wrongNumber =
                hotline.call(CallerScript.from(hotline.freshStranger()).keys(wrongNumberTarget.code() + "#"));
        CallTranscript lockedCall =
                hotline.call(CallerScript.from(locked.phone()).keys(locked.code() + "#"));

        for (CallTranscript call : List.of(unknown, wrongNumber, lockedCall)) {
            assertThat(call.promptNames()).containsExactlyElementsOf(NOT_VERIFIED);
            assertThat(verificationStep(call)).isGreaterThanOrEqualTo(Duration.ofMillis(590));
        }
        // The first command asks Asterisk to echo a random word (the end of the environment block).
        assertThat(wrongNumber.commands().subList(1, wrongNumber.commands().size()))
                .isEqualTo(
                        lockedCall.commands().subList(1, lockedCall.commands().size()));
        assertThat(subscriber(wrongNumberTarget.code()).getPasswordHash()).isNull();
        assertThat(subscriber(locked.code()).getPasswordHash()).isNull();
        assertThat(hotline.lastCallFrom(locked.phone()).getOutcome()).isEqualTo("not_verified");
    }

    @Test
    void givenTheWrongNumberSomeTimes_thenTheCodeIsNotLockedBeforeTheLimit() {
        Subscriber subscriber = hotline.freshSubscriber();
        for (int i = 0; i < 3; i++) {
            hotline.call(CallerScript.from(hotline.freshStranger()).keys(subscriber.code() + "#"));
        }
        assertThat(subscriber(subscriber.code()).getConsecutiveFailures()).isEqualTo(3);

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(call.promptNames()).contains("password-intro");
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(subscriber(subscriber.code()).getConsecutiveFailures()).isZero();
    }

    /** How long the app took between the code entry and its answer. */
    static Duration verificationStep(CallTranscript call) {
        int getData = call.commands()
                .indexOf(call.commands().stream()
                        .filter(c -> c.startsWith("GET DATA"))
                        .reduce((first, second) -> second)
                        .orElseThrow());
        return Duration.ofNanos(call.appStepNanos().get(getData));
    }

    SubscriberRecord subscriber(String code) {
        return hotline.dsl()
                .selectFrom(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne();
    }

    int chargeLines(CallRecord record) {
        return hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId()));
    }
}
