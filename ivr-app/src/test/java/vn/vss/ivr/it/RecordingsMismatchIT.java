package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * IVR_RECORDINGS_DIR and IVR_ASTERISK_RECORDINGS_DIR name different directories: the fake Asterisk
 * writes the spoken answer where RECORD FILE was told to, and the app finds nothing where it looks.
 * The caller must not be blamed ("not understood") for it, and the operator must be told.
 */
class RecordingsMismatchIT {
    private static TestHotline hotline;
    private static Path asteriskRecordings;

    @BeforeAll
    static void startWithSpeech() throws Exception {
        Path directory = Files.createTempDirectory("recordings-mismatch-");
        asteriskRecordings = directory.resolve("as-asterisk-writes");
        hotline = TestHotline.start(Map.of(
                "IVR_ENGLISH_VOICE", "true",
                "IVR_SPEECH_RECOGNITION", "true",
                "IVR_VOSK_MODEL_EN",
                        Path.of("..", "voice-models", "vosk-model-en-us").toString(),
                "IVR_RECORDINGS_DIR", directory.resolve("as-the-app-reads").toString(),
                "IVR_ASTERISK_RECORDINGS_DIR", asteriskRecordings.toString()));
        hotline.awaitEnglishSpeech();
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenARecordingTheAppCannotFind_thenTheKeypadTakesOverAtOnceAndAnErrorNamesBothSettings() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        // Any audio will do: it never reaches the recogniser.
        Path speech = hotline.hotline().prompts().file(Language.EN, Prompt.WELCOME);
        int logLines = hotline.logs().lines().size();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                .language("en")
                .says(speech)
                .keys(subscriber.code() + "#"));

        assertThat(call.promptNames())
                .containsSubsequence("ask-code-voice", "switch-to-keypad", "password-intro")
                .doesNotContain("not-understood", "confirm-code-intro");
        assertThat(call.commands().stream().filter(c -> c.startsWith("RECORD FILE")))
                .hasSize(1);
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(hotline.lastCallFrom(subscriber.phone()).getInputMethod()).isEqualTo("keypad");
        List<String> lines = hotline.logs().lines();
        List<String> errors = lines.subList(logLines, lines.size()).stream()
                .filter(line -> line.startsWith("ERROR")
                        && line.contains("IVR_RECORDINGS_DIR")
                        && line.contains("IVR_ASTERISK_RECORDINGS_DIR"))
                .toList();
        assertThat(errors).hasSize(1);
        try (Stream<Path> written = Files.list(asteriskRecordings)) {
            assertThat(written)
                    .as("the recording Asterisk made, out of the app's reach")
                    .hasSize(1);
        }
    }
}
