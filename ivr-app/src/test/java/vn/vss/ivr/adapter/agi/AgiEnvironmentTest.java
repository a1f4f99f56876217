package vn.vss.ivr.adapter.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The environment block as a real Asterisk 22 sends it passes; a block with lines added does not. */
class AgiEnvironmentTest {

    @Test
    void givenTheBlockOfARealAsterisk22_thenItIsAccepted() throws IOException {
        AgiEnvironment environment = AgiEnvironment.check(capturedBlock());

        assertThat(environment.rejection()).isEmpty();
        assertThat(environment.linesToHandOn()).isEqualTo(capturedBlock());
    }

    @Test
    void givenASecondCallerId_thenTheBlockIsRefusedAndOnlyTheFirstIsHandedOn() {
        List<String> block = capturedBlock();
        block.add(block.indexOf("agi_callerid: 0912345678") + 1, "agi_callerid: 0912000007");

        AgiEnvironment environment = AgiEnvironment.check(block);

        assertThat(environment.rejection()).contains(AgiEnvironment.Rejection.REPEATED_KEY);
        assertThat(environment.describeRejection()).isEqualTo("repeated_key agi_callerid");
        assertThat(environment.linesToHandOn())
                .contains("agi_callerid: 0912345678")
                .doesNotContain("agi_callerid: 0912000007");
    }

    @Test
    void givenALineThatIsNoKey_thenTheBlockIsRefusedWithoutNamingIt() {
        List<String> block = capturedBlock();
        block.add(block.indexOf("agi_callerid: 0912345678") + 1, "EXEC Playback tt-monkeys");

        AgiEnvironment environment = AgiEnvironment.check(block);

        assertThat(environment.rejection()).contains(AgiEnvironment.Rejection.MALFORMED_LINE);
        assertThat(environment.describeRejection()).isEqualTo("malformed_line");
    }

    @Test
    void givenKeysOfAnotherShape_thenTheBlockIsRefused() {
        for (String line : List.of("AGI_CALLERID: 1", "agi_callerid:1", "agi-callerid: 1", "agi_: 1", " agi_x: 1")) {
            List<String> block = capturedBlock();
            block.add(line);

            assertThat(AgiEnvironment.check(block).rejection())
                    .as(line)
                    .contains(AgiEnvironment.Rejection.MALFORMED_LINE);
        }
    }

    @Test
    void givenAControlCharacterInAValue_thenTheBlockIsRefused() {
        for (String value : List.of("0912345678\r", "0912\t345678", "0912345678\u0000", "0912345678\u0085")) {
            List<String> block = capturedBlock();
            block.set(block.indexOf("agi_callerid: 0912345678"), "agi_callerid: " + value);

            AgiEnvironment environment = AgiEnvironment.check(block);

            assertThat(environment.rejection()).contains(AgiEnvironment.Rejection.CONTROL_CHARACTER);
            assertThat(environment.describeRejection()).isEqualTo("control_character agi_callerid");
        }
    }

    @Test
    void givenABlockEndedRightAfterTheCallerId_thenItIsRefusedAsMissingKeys() {
        List<String> block = capturedBlock();
        List<String> shortBlock = block.subList(0, block.indexOf("agi_callerid: 0912345678") + 1);

        AgiEnvironment environment = AgiEnvironment.check(shortBlock);

        assertThat(environment.rejection()).contains(AgiEnvironment.Rejection.MISSING_KEY);
        assertThat(environment.describeRejection()).isEqualTo("missing_key agi_accountcode");
    }

    @Test
    void givenLinesAfterTheEnd_thenAnAcceptedBlockIsRefusedAndARefusedOneKeepsItsFirstReason() {
        assertThat(AgiEnvironment.check(capturedBlock()).withLinesAfterEnd().rejection())
                .contains(AgiEnvironment.Rejection.LINES_AFTER_END);
        List<String> shortBlock = capturedBlock().subList(0, 5);
        assertThat(AgiEnvironment.check(shortBlock).withLinesAfterEnd().rejection())
                .contains(AgiEnvironment.Rejection.MISSING_KEY);
    }

    /** The environment lines of the captured main call, without the closing blank line. */
    private static List<String> capturedBlock() {
        try (InputStream in = AgiEnvironmentTest.class.getResourceAsStream("/asterisk-22-agi/main-call.txt")) {
            List<String> block = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("[1] << agi_")) {
                    block.add(line.substring("[1] << ".length()));
                } else if (line.equals("[1] << ''")) {
                    break;
                }
            }
            assertThat(block).hasSize(22);
            return block;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
