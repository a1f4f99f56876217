package vn.vss.ivr.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.speech.TelephoneLine;

/** The line-noise estimate reads the ratio the line was made with, from the recording alone. */
class LineNoiseTest {
    private static final int RATE = 8000;

    /** Ten "words" of 0.4 s with pauses between them, like a caller saying a code. */
    private static short[] speechLike() {
        short[] speech = new short[RATE * 7];
        for (int word = 0; word < 10; word++) {
            int start = word * (int) (0.7 * RATE);
            for (int i = 0; i < 0.4 * RATE; i++) {
                double envelope = Math.sin(Math.PI * i / (0.4 * RATE));
                double voice = Math.sin(2 * Math.PI * 220 * i / RATE) + 0.5 * Math.sin(2 * Math.PI * 660 * i / RATE);
                speech[start + i] = (short) Math.round(6000 * envelope * voice);
            }
        }
        return speech;
    }

    @Test
    void givenALineMadeAtAKnownRatio_thenTheEstimateIsWithinTwoAndAHalfDecibels() {
        short[] speech = speechLike();
        for (double snr : new double[] {30, 20, 15, 10}) {
            short[] recording = TelephoneLine.record(speech, 0.5, 1.0, snr, new Random(3));

            assertThat(LineNoise.snrDb(recording, RATE)).as("%s dB", snr).isBetween(snr - 2.5, snr + 2.5);
        }
    }

    @Test
    void givenACleanLine_thenTheEstimateIsFarAboveAnyNoisyLine() {
        short[] recording = TelephoneLine.record(speechLike(), 0.5, 1.0, Double.POSITIVE_INFINITY, new Random(3));

        assertThat(LineNoise.snrDb(recording, RATE)).isGreaterThan(40);
    }

    @Test
    void givenSilenceOrNoiseAlone_thenNothingStandsOverTheNoise() {
        short[] noise = TelephoneLine.record(new short[RATE * 3], 0, 0, Double.POSITIVE_INFINITY, new Random(3));
        Random random = new Random(4);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) Math.round(random.nextGaussian() * 500);
        }

        assertThat(LineNoise.snrDb(new short[RATE * 3], RATE)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(LineNoise.snrDb(noise, RATE)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void givenTheGate_thenOnlyAMeasuredLowRatioIsTooNoisy() {
        assertThat(LineNoise.tooNoisy(12, 15)).isTrue();
        assertThat(LineNoise.tooNoisy(21, 15)).isFalse();
        assertThat(LineNoise.tooNoisy(Double.NEGATIVE_INFINITY, 15))
                .as("nothing said")
                .isFalse();
        assertThat(LineNoise.tooNoisy(Double.POSITIVE_INFINITY, 15))
                .as("too short to tell")
                .isFalse();
    }

    @Test
    void givenARecordingTooShortToTell_thenItIsNotCalledNoisy() {
        assertThat(LineNoise.snrDb(new short[RATE / 20], RATE)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
