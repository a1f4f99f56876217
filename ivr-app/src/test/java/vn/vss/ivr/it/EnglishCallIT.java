package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** English calls, with every prompt rendered by the real MaryTTS at start-up. */
class EnglishCallIT {
    private static TestHotline hotline;

    @BeforeAll
    static void startWithTheEnglishVoice() {
        hotline = TestHotline.start(Map.of("IVR_ENGLISH_VOICE", "true"));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenMaryTts_thenEveryEnglishPromptIsTelephoneAudioWithSpeechInIt() throws Exception {
        hotline.hotline().englishPrompts().join();

        assertThat(hotline.hotline().prompts().isReady(Language.EN)).isTrue();
        for (Prompt prompt : Prompt.values()) {
            Path file = hotline.hotline().prompts().file(Language.EN, prompt);
            TelephoneAudio.Pcm pcm = TelephoneAudio.read(file);
            assertThat(pcm.sampleRate()).as(prompt.key()).isEqualTo(8_000);
            if (prompt.isSpoken()) {
                assertThat(pcm.duration().toMillis()).as(prompt.key()).isBetween(200L, 20_000L);
                assertThat(peak(pcm.samples())).as(prompt.key()).isBetween(3_000, 32_000);
            }
        }
    }

    @Test
    void givenLangEn_thenTheCallIsHeldInEnglish() throws Exception {
        hotline.hotline().englishPrompts().join();
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = hotline.call(
                CallerScript.from(subscriber.phone()).language("en").keys(subscriber.code() + "#"));

        assertThat(call.heard())
                .allSatisfy(heard -> assertThat(heard.language()).isEqualTo("en"));
        assertThat(call.promptNames()).contains("welcome", "password-intro", "goodbye");
        System.out.printf(
                "English keypad happy path: billed %.1f s%n", call.billedTime().toMillis() / 1000.0);
        // Synthesised clips are trimmed of silence: the English happy path also stays in one minute.
        assertThat(call.billedTime()).isLessThanOrEqualTo(java.time.Duration.ofSeconds(60));
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
    }

    @Test
    void givenARestart_thenUnchangedPromptsAreNotRenderedAgain() throws Exception {
        hotline.hotline().englishPrompts().join();
        Path welcome = hotline.hotline().prompts().file(Language.EN, Prompt.WELCOME);
        var before = Files.getLastModifiedTime(welcome);

        TestHotline again = TestHotline.start(Map.of(
                "IVR_ENGLISH_VOICE",
                "true",
                "IVR_SOUNDS_DIR",
                hotline.soundsDirectory().toString()));
        try {
            again.hotline().englishPrompts().join();
            assertThat(Files.getLastModifiedTime(welcome)).isEqualTo(before);
        } finally {
            again.close();
        }
    }

    private static int peak(short[] samples) {
        int peak = 0;
        for (short s : samples) {
            peak = Math.max(peak, Math.abs(s));
        }
        return peak;
    }
}
