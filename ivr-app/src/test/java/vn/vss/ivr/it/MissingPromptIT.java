package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * A prompt Asterisk cannot play ({@code 200 result=-1 endpos=0}, as Asterisk 22 answers for a missing
 * file) is a fault of the service, not a caller hanging up: {@code CHANNEL STATUS} tells them apart.
 * Its own hotline, so that the prompts taken away here are missing for these calls only.
 */
class MissingPromptIT {
    private static TestHotline hotline;
    private final List<Path> hidden = new ArrayList<>();

    @BeforeAll
    static void start() {
        hotline = TestHotline.start(Map.of());
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @AfterEach
    void putPromptsBack() throws IOException {
        for (Path file : hidden) {
            Files.move(aside(file), file);
        }
        hidden.clear();
    }

    @Test
    void givenTheWelcomePromptMissing_thenTheCallEndsAsServiceUnavailableWithAnErrorNamingTheFile() throws Exception {
        hide(Prompt.WELCOME);
        Subscriber subscriber = hotline.freshSubscriber();
        int logLines = hotline.logs().lines().size();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("service_unavailable");
        assertThat(call.hungUpBy()).isEqualTo(CallTranscript.HungUpBy.APP);
        assertThat(call.promptNames()).containsExactly("welcome", "unavailable", "goodbye");
        assertThat(call.heard().get(0).missing()).isTrue();
        assertThat(call.commands()).containsSubsequence("ANSWER", "CHANNEL STATUS", "HANGUP");
        List<String> errors = errorsSince(logLines);
        assertThat(errors)
                .anyMatch(line -> line.contains("prompt file")
                        && line.contains(hotline.soundsDirectory().resolve("vi").resolve("welcome") + " "));
        assertThat(String.join("\n", errors)).doesNotContain(subscriber.phone(), subscriber.code());
    }

    @Test
    void givenTheUnavailablePromptMissingToo_thenTheCallStillEndsCleanly() throws Exception {
        hide(Prompt.WELCOME);
        hide(Prompt.UNAVAILABLE);
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("service_unavailable");
        assertThat(hotline.lastCallFrom(subscriber.phone()).getEndedAt()).isNotNull();
        assertThat(call.hungUpBy()).isEqualTo(CallTranscript.HungUpBy.APP);
        assertThat(call.commands()).hasSizeLessThanOrEqualTo(9).contains("HANGUP");
        assertThat(call.protocolNotes()).isEmpty();
    }

    @Test
    void givenTheCallerHangsUpAsAMissingPromptFails_thenTheCallIsRecordedAsAHangUp() throws Exception {
        hide(Prompt.WELCOME);
        Subscriber subscriber = hotline.freshSubscriber();

        // 1 GET FULL VARIABLE (the end of the environment), 2 ANSWER, 3 STREAM FILE welcome
        // (missing), 4 CHANNEL STATUS: the channel is gone by then.
        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                .keys(subscriber.code() + "#")
                .hangUpAtCommand(4));

        assertThat(call.commands().get(3)).isEqualTo("CHANNEL STATUS");
        assertThat(call.hungUpBy()).isEqualTo(CallTranscript.HungUpBy.CALLER);
        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("hung_up");
        assertThat(call.commands()).doesNotContain("HANGUP");
    }

    @Test
    void givenTheDigitClipsMissing_thenNoPasswordChangesAndTheLogDoesNotTellWhichDigitWasDue() throws Exception {
        for (char digit = '0'; digit <= '9'; digit++) {
            hide(Prompt.digit(digit));
        }
        Subscriber subscriber = hotline.freshSubscriber();
        int logLines = hotline.logs().lines().size();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(call.promptNames()).containsSubsequence("password-intro", "unavailable", "goodbye");
        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("service_unavailable");
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
        List<String> errors = errorsSince(logLines);
        assertThat(errors).anyMatch(line -> line.contains("digit-<0-9>"));
        assertThat(String.join("\n", errors)).doesNotContainPattern("digit-[0-9]");
    }

    private List<String> errorsSince(int logLines) {
        List<String> lines = hotline.logs().lines();
        return lines.subList(logLines, lines.size()).stream()
                .filter(line -> line.startsWith("ERROR"))
                .toList();
    }

    private void hide(Prompt prompt) throws IOException {
        Path file = hotline.hotline().prompts().file(Language.VI, prompt);
        assertThat(file).exists();
        Files.move(file, aside(file));
        hidden.add(file);
    }

    private static Path aside(Path file) {
        return file.resolveSibling(file.getFileName() + ".hidden");
    }
}
