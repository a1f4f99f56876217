package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.vss.ivr.ChargesReport;
import vn.vss.ivr.adapter.postgres.ChargeTotals;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Asterisk answers before the menu and the caller pays from then: the dialplan hands the answer time
 * over ({@code answered=<epoch ms>} in the AGI URL), and a call that ends in the menu is reported by
 * the hang-up handler through {@code vssid-menu-call} on the dead channel.
 */
class AnsweredInTheMenuIT {
    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenACallThatEndedInTheMenu_whenTheHangUpHandlerReportsIt_thenItIsRecordedAndBilledFromTheAnswer() {
        String caller = hotline.freshStranger();
        long answered = System.currentTimeMillis() - 75_000;

        CallTranscript call = hotline.call(menuCall(caller).answered(Long.toString(answered)));

        assertOnlyWhatADeadChannelAllows(call);
        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("ended_in_menu");
        assertThat(record.getInputMethod()).isEqualTo("none");
        assertThat(record.getAnsweredAt().toInstant()).isEqualTo(Instant.ofEpochMilli(answered));
        assertThat(record.getStartedAt().toInstant()).isEqualTo(Instant.ofEpochMilli(answered));
        assertThat(Duration.between(
                        record.getAnsweredAt().toInstant(), record.getEndedAt().toInstant()))
                .isBetween(Duration.ofSeconds(75), Duration.ofSeconds(90));
        assertThat(record.getBilledMinutes()).isEqualTo(2);
        assertThat(record.getChargedVnd()).isEqualTo(2_000L);
        assertThat(hotline.dsl()
                        .select(CHARGE_LINE.MINUTE_STARTED_AT)
                        .from(CHARGE_LINE)
                        .where(CHARGE_LINE.CALL_ID.eq(record.getId()))
                        .orderBy(CHARGE_LINE.MINUTE)
                        .fetch(r -> r.value1().toInstant()))
                .containsExactly(Instant.ofEpochMilli(answered), Instant.ofEpochMilli(answered + 60_000));

        List<ChargeTotals.Row> today = ChargeTotals.byOutcome(
                hotline.dsl(), LocalDate.now(ChargesReport.VIETNAM).minusDays(1), LocalDate.now(ChargesReport.VIETNAM));
        assertThat(today)
                .filteredOn(row -> row.outcome().equals("ended_in_menu"))
                .singleElement()
                .satisfies(row -> assertThat(row.billedMinutes()).isGreaterThanOrEqualTo(2));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "17644x91234567",
                "-1764491234567",
                "99999999999999999999999",
                "1764491234567%0Aagi_callerid:%200912000007",
                "",
                "FUTURE",
                "TOO_OLD"
            })
    void givenAnAnswerTimeThatCannotBeBelieved_thenTheMenuCallIsBilledAsAnsweredNowAndTheValueIsNotLogged(
            String value) {
        String caller = hotline.freshStranger();
        String sent =
                switch (value) {
                    case "FUTURE" -> Long.toString(System.currentTimeMillis() + 60_000);
                    case "TOO_OLD" -> Long.toString(
                            System.currentTimeMillis() - Duration.ofMinutes(11).toMillis());
                    default -> value;
                };

        CallTranscript call = hotline.call(menuCall(caller).answered(sent));

        assertOnlyWhatADeadChannelAllows(call);
        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("ended_in_menu");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
        assertThat(Duration.between(
                        record.getAnsweredAt().toInstant(), record.getEndedAt().toInstant()))
                .isLessThan(Duration.ofSeconds(1));
        assertThat(hotline.logs().all()).contains("AGI parameter 'answered' ignored");
        if (sent.length() > 3) {
            assertThat(hotline.logs().all()).doesNotContain(sent);
        }
    }

    @Test
    void givenAMenuCallWithoutAnAnswerTime_thenItIsStillRecordedWithOneMinute() {
        String caller = hotline.freshStranger();

        hotline.call(menuCall(caller));

        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("ended_in_menu");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
    }

    @Test
    void givenAsteriskAnsweredFiftySecondsBeforeTheApp_whenTheCallLastsFifteenSecondsInTheApp_thenTwoMinutesAreBilled()
            throws IOException {
        String caller = hotline.freshStranger();
        long answered = System.currentTimeMillis() - 50_000;

        callInRealTime(CallerScript.from(caller).answered(Long.toString(answered)));

        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("hung_up");
        assertThat(record.getAnsweredAt().toInstant()).isEqualTo(Instant.ofEpochMilli(answered));
        Duration paid = Duration.between(
                record.getAnsweredAt().toInstant(), record.getEndedAt().toInstant());
        assertThat(paid).isBetween(Duration.ofSeconds(60).plusMillis(1), Duration.ofSeconds(90));
        assertThat(record.getBilledMinutes()).isEqualTo(2);
        assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                .isEqualTo(2);
    }

    @Test
    void givenTheSameCallWithoutTheAnswerTime_thenOneMinuteIsBilledFromTheAppsAnswer() throws IOException {
        String caller = hotline.freshStranger();

        callInRealTime(CallerScript.from(caller));

        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("hung_up");
        assertThat(Duration.between(
                        record.getStartedAt().toInstant(),
                        record.getAnsweredAt().toInstant()))
                .isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(record.getBilledMinutes()).isEqualTo(1);
    }

    @Test
    void givenAGarbageAnswerTime_thenTheResetCallGoesOnAndIsBilledFromTheAppsAnswer() {
        Subscriber subscriber = hotline.freshSubscriber();
        String garbage = "1764491234567abc";

        CallTranscript call = hotline.call(
                CallerScript.from(subscriber.phone()).answered(garbage).keys(subscriber.code() + "#"));

        assertThat(call.promptNames()).contains("password-intro");
        CallRecord record = hotline.lastCallFrom(subscriber.phone());
        assertThat(record.getOutcome()).isEqualTo("password_heard");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
        assertThat(Duration.between(
                        record.getStartedAt().toInstant(),
                        record.getAnsweredAt().toInstant()))
                .isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(hotline.passwordHash(subscriber.code())).isNotNull();
        assertThat(hotline.logs().all())
                .contains("AGI parameter 'answered' ignored")
                .doesNotContain(garbage);
    }

    @Test
    void givenACallThatHeardTheMenusUnavailable_whenTheHangUpHandlerReportsIt_thenItIsRecordedAsServiceUnavailable() {
        String caller = hotline.freshStranger();

        CallTranscript call = hotline.call(
                menuCall(caller).answeredBefore(Duration.ofSeconds(20)).ended("unavailable"));

        assertOnlyWhatADeadChannelAllows(call);
        CallRecord record = hotline.lastCallFrom(caller);
        assertThat(record.getOutcome()).isEqualTo("service_unavailable");
        assertThat(record.getInputMethod()).isEqualTo("none");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
    }

    /**
     * No channel command: only the server's check that the environment block has ended (GET FULL
     * VARIABLE) and asterisk-java's own closing status variable, which a dead channel still answers
     * with 200 in Asterisk 22 (every channel command gets 511 there).
     */
    private static void assertOnlyWhatADeadChannelAllows(CallTranscript call) {
        assertThat(call.commands()).as("commands sent on the dead channel").allSatisfy(command -> assertThat(command)
                .matches("(SET VARIABLE|GET FULL VARIABLE) .*"));
    }

    private static CallerScript menuCall(String caller) {
        return CallerScript.from(caller).script("vssid-menu-call").onDeadChannel();
    }

    /**
     * Greeting, silence at the first code prompt, a hang-up at the second: about 25 s of the
     * caller's time, played at 0.6 of real time, so about 15 s pass in the app.
     */
    private CallTranscript callInRealTime(CallerScript script) throws IOException {
        return new FakeAsterisk(
                        "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(0.6)
                .call(script.silence().hangUp());
    }
}
