package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;
import vn.vss.ivr.harness.speech.TelephoneLine;
import vn.vss.ivr.support.LogCapture;
import vn.vss.ivr.support.MutableClock;

/** Time limits, the breaker and metrics, around a decoder the test controls. */
class VoskSpeechRecognizerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T08:00:00Z"));
    private final FakeDecoder decoder = new FakeDecoder();
    private VoskSpeechRecognizer recognizer;

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        if (recognizer != null) {
            recognizer.close();
        }
    }

    private VoskSpeechRecognizer recognizer(VoskSettings settings) {
        recognizer = new VoskSpeechRecognizer(decoder, settings, registry, clock);
        return recognizer;
    }

    private Path oneSecond() throws IOException {
        Path file = directory.resolve("answer.wav");
        Files.write(file, TelephoneAudio.wav(new short[TelephoneAudio.SAMPLE_RATE]));
        return file;
    }

    private double count(String result) {
        return registry.get("ivr.recognitions").tag("result", result).counter().count();
    }

    private double breakerGauge() {
        return registry.get("ivr.recognizer.breaker.open").gauge().value();
    }

    @Test
    void givenAHealthyDecoder_thenDigitsAreRecognisedAndCounted() throws Exception {
        recognizer(VoskSettings.defaults());

        Recognition recognition = recognizer.recognizeDigits(oneSecond(), Language.EN);

        assertThat(recognition.digits()).isEqualTo("0123456789");
        assertThat(recognizer.accepts(Language.EN)).isTrue();
        assertThat(count("recognized")).isEqualTo(1);
        assertThat(registry.get("ivr.recognition").timer().count()).isEqualTo(1);
        assertThat(breakerGauge()).isZero();
    }

    /** Two seconds of tone bursts (the "words") with pauses, on a line with white noise at {@code snrDb}. */
    private Path answerOnALine(double snrDb) throws IOException {
        short[] words = new short[2 * TelephoneAudio.SAMPLE_RATE];
        for (int i = 0; i < words.length; i++) {
            boolean inWord = (i / 2000) % 2 == 0;
            words[i] = inWord ? (short) Math.round(5000 * Math.sin(2 * Math.PI * 300 * i / 8000.0)) : 0;
        }
        Path file = directory.resolve("answer-" + snrDb + ".wav");
        Files.write(file, TelephoneAudio.wav(TelephoneLine.record(words, 0.5, 0.5, snrDb, new Random(1))));
        return file;
    }

    @Test
    void givenAnAnswerDrownedInLineNoise_thenItIsNotDecodedButSentToTheKeypadAndCounted() throws Exception {
        recognizer(VoskSettings.defaults());

        Recognition recognition = recognizer.recognizeDigits(answerOnALine(8), Language.EN);

        assertThat(recognition.status()).isEqualTo(Recognition.Status.TOO_NOISY);
        assertThat(decoder.decodings).hasValue(0);
        assertThat(count("noisy")).isEqualTo(1);
        assertThat(breakerGauge()).isZero();
        assertThat(recognizer.accepts(Language.EN)).isTrue();
    }

    @Test
    void givenAnAnswerOnAFairLine_thenItIsDecoded() throws Exception {
        recognizer(VoskSettings.defaults());

        Recognition recognition = recognizer.recognizeDigits(answerOnALine(25), Language.EN);

        assertThat(recognition.status()).isEqualTo(Recognition.Status.DIGITS);
        assertThat(decoder.decodings).hasValue(1);
    }

    @Test
    void givenTheGateSwitchedOff_thenEvenANoisyAnswerIsDecoded() throws Exception {
        recognizer(VoskSettings.defaults().withLeastSnrDb(Double.NEGATIVE_INFINITY));

        recognizer.recognizeDigits(answerOnALine(8), Language.EN);

        assertThat(decoder.decodings).hasValue(1);
    }

    @Test
    void givenALanguageWithoutModel_thenItIsNotAccepted() throws Exception {
        recognizer(VoskSettings.defaults());

        assertThat(recognizer.accepts(Language.VI)).isFalse();
        assertThat(recognizer.recognizeDigits(oneSecond(), Language.VI)).isEqualTo(Recognition.failed());
        assertThat(decoder.decodings).hasValue(0);
    }

    @Test
    void givenMissingModelDirectories_thenNoLanguageIsAcceptedAndTheStartSaysSoOnce() throws Exception {
        LogCapture logs = LogCapture.install();
        Path missing = directory.resolve("no-such-model");

        try (VoskSpeechRecognizer missingModels =
                VoskSpeechRecognizer.start(Map.of(Language.EN, missing), VoskSettings.defaults(), registry)) {
            assertThat(missingModels.awaitModels(Duration.ofSeconds(5))).isTrue();

            assertThat(missingModels.accepts(Language.EN)).isFalse();
            assertThat(missingModels.accepts(Language.VI)).isFalse();
            assertThat(missingModels.recognizeDigits(oneSecond(), Language.EN)).isEqualTo(Recognition.failed());
            assertThat(count("failed")).isEqualTo(1);
        }
        assertThat(logs.lines().stream().filter(l -> l.contains("speech model for EN not found at " + missing)))
                .hasSize(1)
                .allMatch(l -> l.startsWith("WARN") && l.contains("keypad only"));
        assertThat(logs.lines().stream().filter(l -> l.contains("no speech model configured for VI")))
                .isNotEmpty();
    }

    @Test
    void givenADecodingOverItsTimeLimit_thenTheResultIsFailedAndTheDecodingIsAbandoned() throws Exception {
        recognizer(VoskSettings.defaults().withTimeLimit(Duration.ofMillis(200)));
        decoder.behaviour = FakeDecoder.Behaviour.HANGS;

        long began = System.nanoTime();
        Recognition recognition = recognizer.recognizeDigits(oneSecond(), Language.EN);
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        assertThat(recognition.status()).isEqualTo(Recognition.Status.FAILED);
        assertThat(tookMillis).isBetween(150L, 1500L);
        assertThat(count("timeout")).isEqualTo(1);
        assertThat(decoder.abandoned.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void givenFailuresInARow_thenTheBreakerOpensAndOnlyASuccessfulProbeAfterTheCooldownClosesIt() throws Exception {
        recognizer(VoskSettings.defaults().withBreaker(3, Duration.ofSeconds(30)));
        decoder.behaviour = FakeDecoder.Behaviour.FAILS;
        Path answer = oneSecond();

        for (int i = 0; i < 2; i++) {
            assertThat(recognizer.recognizeDigits(answer, Language.EN).status()).isEqualTo(Recognition.Status.FAILED);
            assertThat(recognizer.accepts(Language.EN)).isTrue();
        }
        recognizer.recognizeDigits(answer, Language.EN);

        assertThat(recognizer.accepts(Language.EN)).isFalse();
        assertThat(breakerGauge()).isEqualTo(1);
        int decodedSoFar = decoder.decodings.get();
        assertThat(recognizer.recognizeDigits(answer, Language.EN)).isEqualTo(Recognition.failed());
        assertThat(decoder.decodings)
                .as("no decoding while the breaker is open")
                .hasValue(decodedSoFar);

        decoder.behaviour = FakeDecoder.Behaviour.HEARS;
        clock.advance(Duration.ofSeconds(29));
        assertThat(recognizer.accepts(Language.EN)).isFalse();
        assertThat(decoder.decodings).as("no probe before the cooldown").hasValue(decodedSoFar);

        clock.advance(Duration.ofSeconds(2));
        recognizer.accepts(Language.EN);
        assertThat(eventually(() -> recognizer.accepts(Language.EN))).isTrue();
        assertThat(breakerGauge()).isZero();
        assertThat(recognizer.recognizeDigits(answer, Language.EN).digits()).isEqualTo("0123456789");
        assertThat(count("failed")).isEqualTo(4);
    }

    @Test
    void givenAFailingProbe_thenTheBreakerStaysOpenForAnotherCooldown() throws Exception {
        recognizer(VoskSettings.defaults().withBreaker(1, Duration.ofSeconds(30)));
        decoder.behaviour = FakeDecoder.Behaviour.FAILS;
        recognizer.recognizeDigits(oneSecond(), Language.EN);
        assertThat(recognizer.accepts(Language.EN)).isFalse();

        clock.advance(Duration.ofSeconds(31));
        recognizer.accepts(Language.EN);
        assertThat(eventually(() -> decoder.decodings.get() == 2)).isTrue();
        Thread.sleep(50);
        decoder.behaviour = FakeDecoder.Behaviour.HEARS;
        clock.advance(Duration.ofSeconds(10));

        assertThat(recognizer.accepts(Language.EN)).isFalse();
        assertThat(breakerGauge()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(21));
        recognizer.accepts(Language.EN);
        assertThat(eventually(() -> recognizer.accepts(Language.EN))).isTrue();
    }

    @Test
    void closingClosesTheDecoder() {
        recognizer(VoskSettings.defaults()).close();

        assertThat(decoder.closed).isTrue();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
