package vn.vss.ivr;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.adapter.vosk.DigitWords;
import vn.vss.ivr.adapter.vosk.VoskSettings;
import vn.vss.ivr.adapter.vosk.VoskSpeechRecognizer;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.harness.speech.TelephoneLine;

/**
 * The {@code speak-code} command: digits said in English by the hotline's own MaryTTS voice, one word
 * per digit as the integration tests say codes, written as an 8 kHz 16-bit mono WAV. The SIPp call
 * tests turn it into the RTP they play (sipp/make-rtp.py --wav), so the spoken code is speech the
 * recogniser is built for, not another synthesiser's. With {@code --check}, the audio is first
 * decoded by the English Vosk model of this environment (IVR_VOSK_MODEL_EN) after a pass through a
 * G.711 line, and the command fails (exit 3, nothing written) if it hears other digits: a test code
 * that the recogniser mishears even on a clean line would fail the call test for the wrong reason.
 */
final class SpokenCode {
    /** Exit status when {@code --check} hears other digits than were spoken. */
    static final int MISHEARD = 3;

    private SpokenCode() {}

    static int run(Map<String, String> options, PrintStream out) throws Exception {
        String digits = Main.require(options, "digits");
        String target = Main.require(options, "out");
        if (!digits.matches("[0-9]{1,32}")) {
            throw new IllegalArgumentException("speak-code: --digits takes 1 to 32 digits 0-9");
        }
        // MaryTTS and Vosk must not write to standard output when the WAV goes there.
        PrintStream stdout = System.out;
        if (target.equals("-")) {
            System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        }
        short[] speech = MaryTtsSpeechSynthesizer.start().speak(DigitWords.spoken(digits, Language.EN));
        if (options.containsKey("check")) {
            Recognition heard = recognise(speech);
            if (heard.status() != Recognition.Status.DIGITS || !heard.digits().equals(digits)) {
                System.err.printf(
                        "speak-code: the English model hears %s, %d digit(s), %d differing from the %d spoken%n",
                        heard.status(), heard.digits().length(), differing(digits, heard.digits()), digits.length());
                return MISHEARD;
            }
        }
        byte[] wav = TelephoneAudio.wav(speech);
        if (target.equals("-")) {
            OutputStream raw = stdout;
            raw.write(wav);
            raw.flush();
        } else {
            Files.write(Path.of(target), wav);
            out.printf(
                    "speak-code: %s, %.2f s of speech%n", target, speech.length / (double) TelephoneAudio.SAMPLE_RATE);
        }
        return 0;
    }

    /** The digits the English model hears in the speech after a clean G.711 line, as a call records it. */
    private static Recognition recognise(short[] speech) throws Exception {
        IvrConfig config = IvrConfig.fromEnvironment();
        Path model = config.speechRecognition()
                .map(s -> s.models().get(Language.EN))
                .orElseThrow(() -> new IllegalArgumentException(
                        "speak-code --check: IVR_SPEECH_RECOGNITION is off, no English model to check with"));
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException(
                    "speak-code --check: no English Vosk model at " + model + " (IVR_VOSK_MODEL_EN)");
        }
        // The same lead and the silence that ends RECORD FILE as a call has, no added noise.
        short[] recording = TelephoneLine.record(speech, 0.5, 2.0, Double.POSITIVE_INFINITY, new Random(1));
        Path file = Files.createTempFile("speak-code-", ".wav");
        try (VoskSpeechRecognizer recognizer = VoskSpeechRecognizer.start(
                Map.of(Language.EN, model),
                // The hotline's decoder settings; only the time limit is generous, so that a busy
                // machine is not taken for a misheard code.
                VoskSettings.defaults().withTimeLimit(Duration.ofMinutes(1)),
                new SimpleMeterRegistry())) {
            if (!recognizer.awaitModels(Duration.ofMinutes(2))) {
                throw new IllegalStateException(
                        "speak-code --check: the English Vosk model at " + model + " did not load");
            }
            Files.write(file, TelephoneAudio.wav(recording));
            return recognizer.recognizeDigits(file, Language.EN);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int differing(String spoken, String heard) {
        int differing = Math.abs(spoken.length() - heard.length());
        for (int i = 0; i < Math.min(spoken.length(), heard.length()); i++) {
            differing += spoken.charAt(i) == heard.charAt(i) ? 0 : 1;
        }
        return differing;
    }
}
