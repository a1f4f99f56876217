package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.adapter.vosk.DigitWords;
import vn.vss.ivr.audio.MuLaw;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.speech.TelephoneLine;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Callers who say their code, end to end: MaryTTS speaks random codes as words, the audio goes to
 * 8 kHz and through a G.711 u-law round trip, the fake Asterisk writes it where RECORD FILE was asked
 * to, the real Vosk model recognises it, the code is read back and confirmed, and the call goes on.
 */
class SpokenCodeIT {
    private static final int CODES = 50;
    private static TestHotline hotline;
    private static MaryTtsSpeechSynthesizer voice;
    private static Path audio;

    @BeforeAll
    static void startWithSpeech() throws Exception {
        hotline = TestHotline.start(Map.of(
                "IVR_ENGLISH_VOICE", "true",
                "IVR_SPEECH_RECOGNITION", "true",
                "IVR_VOSK_MODEL_EN",
                        Path.of("..", "voice-models", "vosk-model-en-us").toString()));
        voice = MaryTtsSpeechSynthesizer.start();
        audio = Files.createTempDirectory("spoken-codes-");
        hotline.awaitEnglishSpeech();
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenFiftyRandomCodesSpokenOverATelephoneLine_thenAtLeast95PercentOfCallsReachTheRightCode() throws Exception {
        Random random = new Random(20261122);
        List<String> wrong = new ArrayList<>();
        List<Duration> billed = new ArrayList<>();
        for (int i = 0; i < CODES; i++) {
            Subscriber subscriber = hotline.freshSubscriber();
            Path spoken = speak(subscriber.code(), random);

            CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                    .language("en")
                    .says(spoken)
                    .keys("1"));

            String readBack = call.digitsAfter("confirm-code-intro", 1);
            if (readBack.equals(subscriber.code()) && call.promptNames().contains("password-intro")) {
                HeardPasswords.remember(call.digitsAfter("password-intro", 1));
                assertThat(hotline.lastCallFrom(subscriber.phone()).getInputMethod())
                        .isEqualTo("speech");
                billed.add(call.billedTime());
            } else {
                wrong.add(readBack.length() + " digits read back");
            }
        }
        int exact = CODES - wrong.size();
        System.out.printf("spoken codes through the whole call: %d/%d exact%n", exact, CODES);
        System.out.printf(
                "billed time of the clean spoken calls: max %.1f s, mean %.1f s%n",
                billed.stream().mapToLong(Duration::toMillis).max().orElse(0) / 1000.0,
                billed.stream().mapToLong(Duration::toMillis).average().orElse(0) / 1000.0);
        assertThat(exact).as("exact codes; misses: " + wrong).isGreaterThanOrEqualTo(48);
        // Answer to hang-up, read-back and key included: a clean spoken call is billed one minute.
        assertThat(billed).as("billed time of each clean spoken call").allSatisfy(time -> assertThat(time)
                .isLessThanOrEqualTo(Duration.ofSeconds(60)));
        try (Stream<Path> left = Files.list(hotline.hotline().config().recordingsDirectory())) {
            assertThat(left).as("recordings left behind").isEmpty();
        }
    }

    @Test
    void givenAKeyPressedDuringTheSpokenCodePrompt_thenTheKeypadTakesOverWithThatDigitKept() {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                .language("en")
                .keysDuringPrompt("ask-code-voice", subscriber.code() + "#"));

        assertThat(call.promptNames()).contains("ask-code-voice").doesNotContain("confirm-code-intro");
        assertThat(call.promptNames()).contains("password-intro");
        assertThat(call.commands()).noneMatch(c -> c.startsWith("RECORD FILE"));
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(hotline.lastCallFrom(subscriber.phone()).getInputMethod()).isEqualTo("keypad");
    }

    @Test
    void givenACodeSaidOnAVeryNoisyLine_thenTheCallerIsToldAndTheKeypadTakesOverAtOnce() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        short[] words = voice.speak(DigitWords.spoken(subscriber.code(), Language.EN));
        Path noisy = audio.resolve("noisy-" + subscriber.code() + ".wav");
        Files.write(noisy, TelephoneAudio.wav(TelephoneLine.record(words, 0.5, 0, 8, new Random(8))));

        CallTranscript call = hotline.call(
                CallerScript.from(subscriber.phone()).language("en").says(noisy).keys(subscriber.code() + "#"));

        assertThat(call.promptNames())
                .containsSubsequence("ask-code-voice", "too-noisy", "switch-to-keypad", "password-intro")
                .doesNotContain("confirm-code-intro", "not-understood");
        assertThat(call.commands().stream().filter(c -> c.startsWith("RECORD FILE")))
                .hasSize(1);
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(hotline.lastCallFrom(subscriber.phone()).getInputMethod()).isEqualTo("keypad");
    }

    @Test
    void givenSilenceTwice_thenTheCallerIsSentToTheKeypad() {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                .language("en")
                .silence()
                .silence()
                .keys(subscriber.code() + "#"));

        assertThat(call.promptNames())
                .containsSubsequence(
                        "ask-code-voice", "not-understood", "ask-code-voice", "not-understood", "switch-to-keypad");
        assertThat(call.promptNames()).contains("password-intro");
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
    }

    @Test
    void givenACallerWhoPausesLongerThanTheSilenceLimitFirst_thenTheSecondPromptAnswerReachesThePassword()
            throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        Path spoken = speak(subscriber.code(), new Random(3));

        // IVR_SPEECH_SILENCE is 2 s: Asterisk ends the first recording before the caller speaks.
        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone())
                .language("en")
                .pausesThenSays(Duration.ofSeconds(3), spoken)
                .says(spoken)
                .keys("1"));

        assertThat(call.promptNames())
                .containsSubsequence(
                        "ask-code-voice",
                        "not-understood",
                        "ask-code-voice",
                        "confirm-code-intro",
                        "confirm-code-keys",
                        "password-intro");
        assertThat(call.commands().stream().filter(c -> c.startsWith("RECORD FILE")))
                .hasSize(2);
        assertThat(call.digitsAfter("confirm-code-intro", 1)).isEqualTo(subscriber.code());
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(hotline.lastCallFrom(subscriber.phone()).getInputMethod()).isEqualTo("speech");
        assertThat(hotline.lastCallFrom(subscriber.phone()).getCodeTries()).isEqualTo(2);
    }

    /** The code as a caller says it, as Asterisk records it from a G.711 line. */
    private static Path speak(String code, Random random) throws Exception {
        short[] words = voice.speak(DigitWords.spoken(code, Language.EN));
        short[] line = MuLaw.roundTrip(words);
        Path file = audio.resolve(code + ".wav");
        Files.write(file, TelephoneAudio.wav(line));
        return file;
    }
}
