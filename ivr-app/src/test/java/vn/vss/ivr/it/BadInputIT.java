package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** Keys and caller IDs that must never lead to a reset, and must still end the call cleanly. */
class BadInputIT {
    private final TestHotline hotline = TestHotline.shared();

    static Stream<Arguments> badEntries() {
        return Stream.of(
                Arguments.of("nine digits", List.of("012345678#", "012345678#", "012345678#"), "code-invalid"),
                Arguments.of("eleven digits", List.of("01234567890#", "01234567890#", "01234567890#"), "code-invalid"),
                Arguments.of("a star", List.of("*#", "0123*56789#", "*"), "code-invalid"),
                Arguments.of("hash alone", List.of("#", "#", "#"), "no-input"),
                Arguments.of("time-outs", List.of("", "", ""), "no-input"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEntries")
    void givenThreeBadEntries_thenAPoliteGoodbyeAndNoLookup(String name, List<String> entries, String retryPrompt) {
        Subscriber subscriber = hotline.freshSubscriber();
        CallerScript script = CallerScript.from(subscriber.phone());
        entries.forEach(keys -> {
            if (keys.isEmpty()) {
                script.silence();
            } else {
                script.keys(keys);
            }
        });

        CallTranscript call = hotline.call(script);

        assertThat(call.promptNames())
                .containsExactly(
                        "welcome", "ask-code", retryPrompt, "ask-code", retryPrompt, "ask-code", "too-many-tries");
        CallRecord record = hotline.lastCallFrom(subscriber.phone());
        assertThat(record.getOutcome()).isEqualTo("no_valid_code");
        assertThat(record.getCodeTries()).isEqualTo(3);
        assertThat(record.getEndedAt()).isNotNull();
        assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                .isEqualTo(call.billedMinutes());
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
    }

    @Test
    void givenKeysPressedDuringTheWelcome_thenTheyAreKeptAndTheCallGoesOn() {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call =
                hotline.call(CallerScript.from(subscriber.phone()).keysDuringPrompt(subscriber.code() + "#"));

        assertThat(call.promptNames()).doesNotContain("ask-code").contains("password-intro");
        assertThat(call.heard().get(0).complete()).isFalse();
        vn.vss.ivr.support.HeardPasswords.remember(call.digitsAfter("password-intro", 1));
    }

    static Stream<Arguments> badCallerIds() {
        return Stream.of(
                Arguments.of("anonymous"),
                Arguments.of(""),
                Arguments.of("+84 91-234"),
                Arguments.of("%s\r\nHANGUP"),
                Arguments.of("%s\r"),
                Arguments.of("%s" + "9".repeat(290)),
                Arguments.of("0".repeat(300)));
    }

    @ParameterizedTest
    @MethodSource("badCallerIds")
    void givenACallerIdThatIsNotAPlainNumber_thenItNeverMatchesAndNothingOfItReachesAsterisk(String pattern) {
        Subscriber subscriber = hotline.freshSubscriber();
        String callerId = pattern.formatted(subscriber.phone());

        CallTranscript call = hotline.call(CallerScript.from(callerId).keys(subscriber.code() + "#"));

        assertThat(call.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
        assertThat(call.commands())
                .noneMatch(command -> command.contains(subscriber.phone()) || command.contains("\r"));
        assertThat(call.commands())
                .filteredOn(command -> command.startsWith("HANGUP"))
                .hasSize(1);
        CallRecord record = hotline.dsl()
                .selectFrom(CALL)
                .where(CALL.CALLER_ID_E164.isNull())
                .orderBy(CALL.STARTED_AT.desc())
                .limit(1)
                .fetchOne();
        assertThat(record.getOutcome()).isEqualTo("not_verified");
        assertThat(record.getCallerIdReceived()).doesNotContain("\r", "\n");
        assertThat(hotline.logs().all()).doesNotContain(subscriber.phone() + "\r");
    }
}
