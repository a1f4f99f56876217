package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.util.List;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** The caller hangs up during each command of a successful call in turn. */
class HangUpIT {
    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenAHangUpDuringAnyStep_thenTheRecordIsClosedChargesAreRightAndOnlyAHeardPasswordTakesEffect()
            throws Exception {
        Subscriber probe = hotline.freshSubscriber();
        CallTranscript whole = hotline.call(CallerScript.from(probe.phone()).keys(probe.code() + "#"));
        HeardPasswords.remember(whole.digitsAfter("password-intro", 1));
        List<String> commands = whole.commands();
        int lastDigitOfFirstReading = lastDigitCommandBefore(commands, "password-again");

        for (int step = 1; step < commands.size(); step++) {
            if (commands.get(step - 1).contains("AJ_AGISTATUS")) {
                continue;
            }
            Subscriber subscriber = hotline.freshSubscriber();
            CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                    .keys(subscriber.code() + "#")
                    .hangUpAtCommand(step));
            String what = "hang-up at command " + step + " (" + commands.get(step - 1) + ")";

            assertThat(call.hungUpBy()).as(what).isEqualTo(CallTranscript.HungUpBy.CALLER);
            CallRecord record = hotline.lastCallFrom(subscriber.phone());
            assertThat(record.getEndedAt()).as(what).isNotNull();
            assertThat(record.getOutcome()).as(what).isNotNull();
            int lines = hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId()));
            // Nothing is billed before ANSWER (command 2, after the check of the environment's end).
            assertThat(lines).as(what).isEqualTo(step <= commands.indexOf("ANSWER") + 1 ? 0 : 1);
            assertThat(record.getBilledMinutes()).as(what).isEqualTo(lines);
            SubscriberRecord account = hotline.dsl()
                    .selectFrom(SUBSCRIBER)
                    .where(SUBSCRIBER.BHXH_CODE.eq(subscriber.code()))
                    .fetchOne();
            assertThat(account.getReservedByCall()).as(what).isNull();
            boolean heardInFull = step > lastDigitOfFirstReading;
            assertThat(account.getPasswordHash() != null).as(what).isEqualTo(heardInFull);
            assertThat(record.getOutcome())
                    .as(what)
                    .isEqualTo(
                            heardInFull
                                    ? "password_heard"
                                    : step >= indexOf(commands, "password-intro")
                                            ? "hung_up_during_password"
                                            : "hung_up");
            if (heardInFull) {
                HeardPasswords.remember(call.digitsAfter("password-intro", 1));
            }
        }
        awaitNoActiveCalls();
    }

    private void awaitNoActiveCalls() throws InterruptedException {
        for (int i = 0; i < 50 && hotline.hotline().activeCalls() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(hotline.hotline().activeCalls()).isZero();
    }

    /** The 1-based number of the last digit command before the given prompt. */
    private static int lastDigitCommandBefore(List<String> commands, String prompt) {
        int promptIndex = indexOf(commands, prompt);
        for (int i = promptIndex - 1; i >= 1; i--) {
            if (commands.get(i - 1).contains("/digit-")) {
                return i;
            }
        }
        throw new AssertionError("no digit before " + prompt);
    }

    private static int indexOf(List<String> commands, String prompt) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).contains("/" + prompt + "\"") || commands.get(i).contains("/" + prompt + " ")) {
                return i + 1;
            }
        }
        throw new AssertionError("no command plays " + prompt);
    }
}
