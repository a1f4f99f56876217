package vn.vss.ivr.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.speech.TelephoneLine;

/** The small signal-processing pieces in front of the recogniser. */
class TelephoneSoundTest {
    private static final int RATE = 8000;

    @Test
    void muLawKeepsSilenceSilentAndLoudSamplesWithinItsStep() {
        assertThat(MuLaw.decode(MuLaw.encode((short) 0))).isZero();
        assertThat(MuLaw.encode((short) 0)).isEqualTo((byte) 0xFF);
        for (int value = Short.MIN_VALUE; value <= Short.MAX_VALUE; value += 7) {
            short decoded = MuLaw.decode(MuLaw.encode((short) value));
            // 8-bit u-law: half a step, which grows with the level (plus clipping at the very top)
            double allowed = (Math.abs(value) + 132) / 32.0 + 1 + Math.max(0, Math.abs(value) - 32124);
            assertThat((double) Math.abs(decoded - value)).as("%d", value).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void muLawMatchesTheStandardTable() {
        // G.711 reference points: full scale, a mid-level sample and the smallest step
        assertThat(MuLaw.encode((short) 32767)).isEqualTo((byte) 0x80);
        assertThat(MuLaw.encode((short) -32768)).isEqualTo((byte) 0x00);
        assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(MuLaw.decode((byte) 0xFE)).isEqualTo((short) 8);
    }

    @Test
    void upsamplingKeepsATelephoneToneAndAddsNothingAboveFourKilohertz() {
        short[] tone = tone(1000, RATE, 8000, 8000);

        short[] wide = Upsampler.doubleRate(tone);

        assertThat(wide).hasSize(2 * tone.length);
        double inBand = power(wide, 1000, 2 * RATE);
        double image = power(wide, 7000, 2 * RATE);
        assertThat(10 * Math.log10(inBand / image)).isGreaterThan(40);
        assertThat(Math.sqrt(inBand * 2)).isBetween(7600.0, 8400.0);
    }

    @Test
    void noiseReductionRaisesTheSignalToNoiseRatioOfASpeechLikeSignal() {
        Random random = new Random(5);
        short[] clean = new short[RATE * 3];
        short[] burst = tone(600, RATE, RATE, 6000);
        System.arraycopy(burst, 0, clean, RATE, burst.length);
        short[] noisy = new short[clean.length];
        for (int i = 0; i < clean.length; i++) {
            noisy[i] = (short) Math.round(clean[i] + random.nextGaussian() * 600);
        }

        short[] reduced = new NoiseReducer(-12).apply(noisy);

        assertThat(snrDb(clean, reduced)).isGreaterThan(snrDb(clean, noisy) + 3);
    }

    @Test
    void trimmingKeepsTheSpeechWithItsMarginAndDropsTheRest() {
        short[] recording = new short[RATE * 4];
        short[] speech = tone(300, RATE, RATE, 5000);
        System.arraycopy(speech, 0, recording, RATE * 2, speech.length);
        Random random = new Random(1);
        for (int i = 0; i < recording.length; i++) {
            recording[i] += (short) Math.round(random.nextGaussian() * 30);
        }

        short[] trimmed = new SpeechTrimmer(0.25).trim(recording, RATE);

        assertThat(trimmed.length).isBetween((int) (RATE * 1.4), (int) (RATE * 1.6));
    }

    @Test
    void trimmingLeavesSilenceAlone() {
        short[] silence = new short[RATE];

        assertThat(new SpeechTrimmer(0.25).trim(silence, RATE)).hasSize(RATE);
    }

    @Test
    void theLineAddsNoiseAtTheAskedRatio() {
        short[] speech = tone(440, RATE, RATE * 2, 8000);

        short[] recording = TelephoneLine.record(speech, 0, 0, 20, new Random(2));

        assertThat(snrDb(speech, recording)).isBetween(19.0, 21.0);
    }

    private static short[] tone(double hertz, int rate, int length, double amplitude) {
        short[] samples = new short[length];
        for (int i = 0; i < length; i++) {
            samples[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hertz * i / rate));
        }
        return samples;
    }

    /** Power at one frequency (Goertzel), as the mean square of that component. */
    private static double power(short[] samples, double hertz, int rate) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hertz / rate);
        double previous = 0;
        double beforePrevious = 0;
        for (short sample : samples) {
            double current = sample + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        double magnitude =
                previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
        return 2 * magnitude / ((double) samples.length * samples.length);
    }

    private static double snrDb(short[] clean, short[] observed) {
        double signal = 0;
        double error = 0;
        for (int i = 0; i < clean.length; i++) {
            signal += (double) clean[i] * clean[i];
            error += (double) (observed[i] - clean[i]) * (observed[i] - clean[i]);
        }
        return 10 * Math.log10(signal / error);
    }
}
