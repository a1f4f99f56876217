package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.CallTestCheck;
import vn.vss.ivr.CallTestCheck.Verdict;
import vn.vss.ivr.adapter.postgres.RecordedCalls;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * The verdict of the SIPp call tests (calltest-check) on real call records: three calls go through
 * the real FastAGI server into the embedded PostgreSQL (a password heard, a wrong number, a hang-up
 * during the read-out), then manifests are checked against what was recorded. A manifest that
 * matches passes; one expecting another outcome, input, minutes or password fails, call by call,
 * naming what differs. This is what makes a SIPp run fail when a call went wrong though its
 * signalling looked right.
 */
class CallTestCheckIT {
    private static final TestHotline hotline = TestHotline.shared();
    private static Instant since;
    private static Subscriber heard;
    private static Subscriber called;
    private static String stranger;
    private static Subscriber hungUp;

    @BeforeAll
    static void placeThreeCalls() {
        since = Instant.now().minusSeconds(1);
        heard = hotline.freshSubscriber();
        CallTranscript whole = hotline.call(CallerScript.from(heard.phone()).keys(heard.code() + "#"));
        HeardPasswords.remember(whole.digitsAfter("password-intro", 1));

        called = hotline.freshSubscriber();
        stranger = hotline.freshStranger();
        hotline.call(CallerScript.from(stranger).keys(called.code() + "#"));

        hungUp = hotline.freshSubscriber();
        List<String> commands = whole.commands();
        int intro = 0;
        while (!commands.get(intro).contains("password-intro")) {
            intro++;
        }
        // Command numbers count from 1: hang up at the first digit of the password, after the intro.
        hotline.call(CallerScript.from(hungUp.phone()).keys(hungUp.code() + "#").hangUpAtCommand(intro + 2));
    }

    @Test
    void givenAManifestThatMatchesTheRecords_thenEveryCallPassesWithWhatWasRecorded() throws Exception {
        List<Verdict> verdicts = check(String.join(
                "\n",
                "since " + since,
                "# scenario call caller code outcome input billed_minutes password",
                "keypad-happy 1 " + heard.phone() + " " + heard.code() + " password_heard keypad 1-2 changed",
                "wrong-number 1 " + stranger + " " + called.code() + " not_verified keypad 1-2 unchanged",
                "hangup-password 1 " + hungUp.phone() + " " + hungUp.code()
                        + " hung_up_during_password keypad 1 unchanged"));

        assertThat(verdicts).allSatisfy(v -> assertThat(v.passed()).as(v.line()).isTrue());
        assertThat(verdicts.get(0).line())
                .startsWith("PASS keypad-happy 1 +84")
                .contains("password_heard keypad, 1 min, password changed");
        assertThat(verdicts.get(1).line()).contains("not_verified keypad, 1 min, password unchanged");
        assertThat(verdicts.get(2).line()).contains("hung_up_during_password keypad, 1 min, password unchanged");
        assertThat(status(verdicts)).isZero();
    }

    @Test
    void givenACallThatWentWrong_thenItFailsNamingWhatTheHotlineRecorded() throws Exception {
        // What the SIPp suite once passed: a hang-up that came after the first reading (the password
        // changed), and a spoken code misheard (not verified) while the caller was registered.
        List<Verdict> verdicts = check(String.join(
                "\n",
                "since " + since,
                "hangup-password 1 " + heard.phone() + " " + heard.code()
                        + " hung_up_during_password keypad 1-2 unchanged",
                "spoken-code 1 " + stranger + " " + called.code() + " password_heard speech 1-2 changed",
                "hangup-password 2 " + hungUp.phone() + " " + hungUp.code()
                        + " hung_up_during_password keypad 2-3 unchanged"));

        assertThat(verdicts).noneSatisfy(v -> assertThat(v.passed()).isTrue());
        assertThat(verdicts.get(0).line())
                .startsWith("FAIL hangup-password 1 +84")
                .contains("outcome password_heard, expected hung_up_during_password")
                .contains("password changed, expected unchanged");
        assertThat(verdicts.get(1).line())
                .contains("outcome not_verified, expected password_heard")
                .contains("input method keypad, expected speech")
                .contains("password unchanged, expected changed");
        assertThat(verdicts.get(2).line())
                .contains("billed 1 minute(s), expected 2-3")
                .doesNotContain("outcome");
        assertThat(status(verdicts)).isEqualTo(1);
    }

    @Test
    void givenACallThatNeverReachedTheHotline_thenItFails() throws Exception {
        List<Verdict> verdicts = check(String.join(
                "\n",
                "since " + since,
                "keypad-happy 1 " + hotline.freshStranger() + " " + heard.code()
                        + " password_heard keypad 1-2 changed"));

        assertThat(verdicts).singleElement().satisfies(v -> {
            assertThat(v.passed()).isFalse();
            assertThat(v.line()).contains("no call recorded from this number since the run began");
        });
    }

    @Test
    void givenTwoCallsFromOneNumber_thenTheCheckCannotTellThemApartAndFails() throws Exception {
        Subscriber twice = hotline.freshSubscriber();
        hotline.call(CallerScript.from(twice.phone()).hangUp());
        hotline.call(CallerScript.from(twice.phone()).hangUp());

        List<Verdict> verdicts = check(String.join(
                "\n",
                "since " + since,
                "hangup-greeting 1 " + twice.phone() + " " + twice.code() + " hung_up none 0-1 unchanged"));

        assertThat(verdicts.get(0).line())
                .contains("2 calls recorded from this number since the run began, expected one");
    }

    private static List<Verdict> check(String manifest) throws Exception {
        return CallTestCheck.check(
                new RecordedCalls(hotline.dsl()),
                CallTestCheck.parse(new StringReader(manifest), "manifest"),
                Duration.ofSeconds(3));
    }

    private static int status(List<Verdict> verdicts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CallTestCheck.print(verdicts, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("calltest-check: " + verdicts.size() + " call(s)");
        return status;
    }
}
