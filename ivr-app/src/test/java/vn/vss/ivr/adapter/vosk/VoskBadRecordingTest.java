package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/** Whatever Asterisk leaves behind, the real recogniser answers and stays switched on. */
class VoskBadRecordingTest {
    private static VoskSpeechRecognizer recognizer;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() throws Exception {
        recognizer = VoskSpeechRecognizer.start(
                Map.of(Language.EN, EnglishModel.directory()),
                VoskSettings.defaults().withBreaker(2, Duration.ofMinutes(5)),
                new SimpleMeterRegistry());
        assertThat(recognizer.awaitModels(Duration.ofMinutes(1))).isTrue();
    }

    @AfterAll
    static void stop() {
        recognizer.close();
    }

    private Recognition recognise(String name, byte[] content) throws Exception {
        Path file = directory.resolve(name);
        Files.write(file, content);
        return recognizer.recognizeDigits(file, Language.EN);
    }

    @Test
    void givenTheHeaderOnlyWavOfAHangUp_thenNothingWasSaid() throws Exception {
        byte[] headerOnly = TelephoneAudio.wav(new short[0]);
        assertThat(headerOnly).hasSize(44);

        assertThat(recognise("hangup.wav", headerOnly)).isEqualTo(Recognition.unclear());
    }

    @Test
    void givenAnEmptyFileGarbageOrNoFile_thenTheResultIsFailedAndRecognitionStaysOn() throws Exception {
        byte[] garbage = new byte[5000];
        new Random(9).nextBytes(garbage);
        byte[] riffWithoutData = "RIFF\u0000\u0000\u0000\u0000WAVEjunk".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(recognise("empty.wav", new byte[0])).isEqualTo(Recognition.failed());
        assertThat(recognise("garbage.wav", garbage)).isEqualTo(Recognition.failed());
        assertThat(recognise("no-data.wav", riffWithoutData)).isEqualTo(Recognition.failed());
        assertThat(recognizer.recognizeDigits(directory.resolve("never-written.wav"), Language.EN))
                .isEqualTo(Recognition.failed());

        assertThat(recognizer.accepts(Language.EN))
                .as("bad input does not open the breaker")
                .isTrue();
    }

    @Test
    void givenAWavInAnotherFormat_thenTheResultIsFailed() throws Exception {
        byte[] wav = TelephoneAudio.wav(new short[8000]);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 2); // stereo

        assertThat(recognise("stereo.wav", wav)).isEqualTo(Recognition.failed());
    }

    @Test
    void givenSilenceOrNoiseOrATruncatedHeader_thenTheDecoderAnswersWithoutCrashing() throws Exception {
        short[] noise = new short[TelephoneAudio.SAMPLE_RATE * 2];
        Random random = new Random(4);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 3000);
        }
        byte[] truncated = TelephoneAudio.wav(noise);
        ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 1_000_000); // data longer than the file

        assertThat(recognise("silence.wav", TelephoneAudio.wav(new short[TelephoneAudio.SAMPLE_RATE]))
                        .status())
                .isEqualTo(Recognition.Status.UNCLEAR);
        assertThat(recognise("noise.wav", TelephoneAudio.wav(noise)).status()).isNotEqualTo(Recognition.Status.FAILED);
        assertThat(recognise("truncated.wav", truncated).status()).isNotEqualTo(Recognition.Status.FAILED);
        assertThat(recognise("odd-length.wav", java.util.Arrays.copyOf(TelephoneAudio.wav(noise), 44 + 3001))
                        .status())
                .isNotEqualTo(Recognition.Status.FAILED);
        assertThat(recognizer.accepts(Language.EN)).isTrue();
    }
}
