package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.audio.MuLaw;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;
import vn.vss.ivr.support.LogCapture;

/**
 * MaryTTS says random codes, the telephone network carries them (8 kHz, G.711 u-law), the real
 * recogniser with its default settings hears them.
 */
class VoskClosedLoopTest {
    private static final int CODES = 50;

    @TempDir
    Path directory;

    @Test
    void randomCodesSpokenOverTheTelephoneAreRecognisedExactly() throws Exception {
        LogCapture logs = LogCapture.install();
        Random random = new Random(20250101);
        MaryTtsSpeechSynthesizer mary = MaryTtsSpeechSynthesizer.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> codes = new ArrayList<>();
        int exact = 0;
        try (VoskSpeechRecognizer recognizer = VoskSpeechRecognizer.start(
                Map.of(Language.EN, EnglishModel.directory()), VoskSettings.defaults(), registry)) {
            assertThat(recognizer.awaitModels(Duration.ofMinutes(1))).isTrue();
            // Each code is recognised while MaryTTS says the next one.
            ExecutorService callers = Executors.newFixedThreadPool(2);
            List<Future<Recognition>> results = new ArrayList<>();
            for (int i = 0; i < CODES; i++) {
                String code = randomCode(random);
                short[] speech = mary.speak(DigitWords.spoken(code, Language.EN));
                short[] line = overTheTelephone(speech, 0.2 + 0.6 * random.nextDouble());
                Path recording = directory.resolve("answer-" + i + ".wav");
                Files.write(recording, TelephoneAudio.wav(line));
                codes.add(code);
                results.add(callers.submit(() -> recognizer.recognizeDigits(recording, Language.EN)));
            }
            for (int i = 0; i < CODES; i++) {
                Recognition recognition = results.get(i).get();
                if (recognition.status() == Recognition.Status.DIGITS
                        && recognition.digits().equals(codes.get(i))) {
                    exact++;
                }
            }
            callers.shutdown();
        }

        System.out.printf(
                "closed loop (MaryTTS, 8 kHz u-law, Vosk defaults): %d of %d codes exact (%.0f%%)%n",
                exact, CODES, 100.0 * exact / CODES);
        assertThat(100.0 * exact / CODES).isGreaterThanOrEqualTo(95.0);
        assertThat(registry.get("ivr.recognition").timer().count()).isEqualTo(CODES);
        assertThat(registry.get("ivr.recognitions")
                        .tag("result", "recognized")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(exact);
        for (String code : codes) {
            assertThat(logs.all()).as("a recognised code in the logs").doesNotContain(code);
        }
    }

    private static String randomCode(Random random) {
        StringBuilder code = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.toString();
    }

    /** A pause before the answer, the second of silence that ends the recording, and G.711 u-law both ways. */
    private static short[] overTheTelephone(short[] speech, double leadSeconds) {
        int lead = (int) (leadSeconds * TelephoneAudio.SAMPLE_RATE);
        short[] padded = new short[lead + speech.length + TelephoneAudio.SAMPLE_RATE];
        System.arraycopy(speech, 0, padded, lead, speech.length);
        byte[] coded = new byte[padded.length];
        for (int i = 0; i < padded.length; i++) {
            coded[i] = MuLaw.encode(padded[i]);
        }
        short[] decoded = new short[coded.length];
        for (int i = 0; i < coded.length; i++) {
            decoded[i] = MuLaw.decode(coded[i]);
        }
        return decoded;
    }
}
