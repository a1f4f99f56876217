package vn.vss.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading the manifest of a SIPp call test run: every mistake is named with its line. */
class CallTestCheckTest {

    @Test
    void givenAGoodManifest_thenEveryCallIsReadWithItsExpectations() throws Exception {
        CallTestCheck.Manifest manifest = parse("# run\nsince 2026-11-30T08:40:00Z\n"
                + "hangup-code-entry\t1\t0912000001\t0012345678\thung_up|no_valid_code\tnone|keypad\t1\tunchanged\n"
                + "keypad-happy 1 +84912000002 0012345679 password_heard keypad 1-2 changed\n");

        assertThat(manifest.since()).isEqualTo(Instant.parse("2026-11-30T08:40:00Z"));
        assertThat(manifest.calls()).hasSize(2);
        CallTestCheck.ExpectedCall first = manifest.calls().get(0);
        assertThat(first.caller().e164()).isEqualTo("+84912000001");
        assertThat(first.outcomes()).containsExactly("hung_up", "no_valid_code");
        assertThat(first.inputMethods()).containsExactly("none", "keypad");
        assertThat(first.minMinutes()).isEqualTo(1);
        assertThat(first.maxMinutes()).isEqualTo(1);
        assertThat(first.passwordChanged()).isFalse();
        assertThat(manifest.calls().get(1).maxMinutes()).isEqualTo(2);
        assertThat(manifest.calls().get(1).passwordChanged()).isTrue();
    }

    @Test
    void givenMistakes_thenEachStopsTheCheckNamingTheLine() {
        String since = "since 2026-11-30T08:40:00Z\n";
        String good = "keypad-happy 1 0912000001 0012345678 password_heard keypad 1-2 changed\n";

        assertThatThrownBy(() -> parse(good)).hasMessage("m: no 'since TIME' line (when the run began, UTC)");
        assertThatThrownBy(() -> parse(since)).hasMessage("m: no calls listed");
        assertThatThrownBy(() -> parse("since yesterday\n" + good))
                .hasMessageStartingWith("m line 1: 'since' needs a UTC time");
        assertThatThrownBy(() -> parse(since + "keypad-happy 1 0912000001 0012345678 password_heard keypad 1-2\n"))
                .hasMessageStartingWith("m line 2: expected 8 fields");
        assertThatThrownBy(() -> parse(since + good.replace("0912000001", "12345")))
                .hasMessageStartingWith("m line 2: the caller (5 characters) is not a Vietnamese number");
        assertThatThrownBy(() -> parse(since + good.replace("0012345678", "001234")))
                .hasMessage("m line 2: the code (6 characters) is not 10 digits");
        assertThatThrownBy(() -> parse(since + good.replace("1-2", "2-1")))
                .hasMessage("m line 2: billed_minutes '2-1' ends before it starts");
        assertThatThrownBy(() -> parse(since + good.replace("1-2", "one")))
                .hasMessage("m line 2: billed_minutes 'one' is not N or N-M");
        assertThatThrownBy(() -> parse(since + good.replace("changed", "maybe")))
                .hasMessage("m line 2: password 'maybe' is not changed or unchanged");
        assertThatThrownBy(() -> parse(since + good.replace("password_heard", "Password-Heard")))
                .hasMessageStartingWith("m line 2: outcome 'Password-Heard' is not a word");
        assertThatThrownBy(() -> parse(since + good + good.replace("0012345678", "0012345679")))
                .hasMessage("m line 3: the caller number is used by an earlier call: each call needs its own number");
    }

    private static CallTestCheck.Manifest parse(String text) throws Exception {
        return CallTestCheck.parse(new StringReader(text), "m");
    }
}
