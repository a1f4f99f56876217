package vn.vss.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandOptionsTest {

    @Test
    void givenKnownOptions_thenFlagsAndValuesAreRead() {
        CommandOptions options =
                CommandOptions.parse("charges-report", List.of("--from", "2026-11-01", "--to", "2026-11-30", "--csv"));

        assertThat(options.asMap()).isEqualTo(Map.of("from", "2026-11-01", "to", "2026-11-30", "csv", ""));
    }

    @Test
    void givenATypoOfAnOption_thenTheCommandStopsListingTheKnownOnes() {
        assertThatThrownBy(() -> CommandOptions.parse("serve", List.of("--demo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serve: unknown option --demo (known: --demo-call)");
        assertThatThrownBy(() -> CommandOptions.parse("charges-report", List.of("--form", "2026-11-01")))
                .hasMessage("charges-report: unknown option --form (known: --from, --to, --csv)");
    }

    @Test
    void givenAPlainWordToACommandWithoutArguments_thenItIsRefused() {
        assertThatThrownBy(() -> CommandOptions.parse("serve", List.of("demo-call")))
                .hasMessage("serve: unexpected argument 'demo-call' (options: --demo-call)");
    }

    @Test
    void givenAValueOfTheWrongForm_thenTheMessageNamesTheOptionAndTheFormExpected() {
        assertThatThrownBy(() -> CommandOptions.parse("charges-report", List.of("--from", "2026-13-01")))
                .hasMessage("charges-report: --from '2026-13-01' is not a date: YYYY-MM-DD");
        assertThatThrownBy(() -> CommandOptions.parse("call", List.of("--from", "0912345678", "--hangup-at", "x")))
                .hasMessage("call: --hangup-at 'x' is not a whole number of 0 or more: N, the AGI command at which to"
                        + " hang up");
        assertThatThrownBy(() -> CommandOptions.parse("call", List.of("--lang", "fr")))
                .hasMessage("call: --lang 'fr' is not one of: vi|en");
        assertThatThrownBy(() -> CommandOptions.parse("bench-soak", List.of("--rate", "fast")))
                .hasMessageContaining("--rate 'fast' is not a number");
    }

    @Test
    void givenAnOptionWithoutItsValue_thenItIsRefused() {
        assertThatThrownBy(() -> CommandOptions.parse("charges-report", List.of("--from", "--csv")))
                .hasMessage("charges-report: --from needs a value: YYYY-MM-DD");
        assertThatThrownBy(() -> CommandOptions.parse("bench-keypad", List.of("--calls")))
                .hasMessage("bench-keypad: --calls needs a value: N");
    }

    @Test
    void givenTheBenchmarksOnTwoInstances_thenTheOptionIsReadAndOnlyOneOrTwoAreAccepted() {
        assertThat(CommandOptions.parse("bench-keypad", List.of("--calls", "400", "--instances", "2"))
                        .asMap())
                .isEqualTo(Map.of("calls", "400", "instances", "2"));
        assertThat(CommandOptions.parse("bench-load", List.of("--instances", "1"))
                        .asMap())
                .isEqualTo(Map.of("instances", "1"));
        assertThatThrownBy(() -> CommandOptions.parse("bench-load", List.of("--instances", "3")))
                .hasMessage("bench-load: --instances '3' is not one of: 1|2");
        assertThatThrownBy(() -> CommandOptions.parse("bench-soak", List.of("--instances", "2")))
                .hasMessage("bench-soak: unknown option --instances (known: --minutes, --rate, --call-seconds)");
    }

    @Test
    void givenImportSubscribers_thenExactlyOneFileIsRequired() {
        CommandOptions one = CommandOptions.parse("import-subscribers", List.of("subscribers.csv"));
        assertThat(one.arguments()).containsExactly("subscribers.csv");

        CommandOptions none = CommandOptions.parse("import-subscribers", List.of());
        assertThatThrownBy(() -> none.requireArguments("import-subscribers", 1, "one CSV file"))
                .hasMessage("import-subscribers: expected one CSV file, given none");
    }
}
