package vn.vss.ivr.audio;

import java.util.Arrays;

/**
 * How loud the caller is over the line's steady noise, from the recording alone: the noise is the
 * mean power of the quietest fifth of its 20 ms frames (a caller's answer always has pauses), the
 * speech is what the frames clearly above that noise add to it.
 */
public final class LineNoise {
    private static final int FRAMES_PER_SECOND = 50;
    private static final double NOISE_SHARE = 0.2;
    /** A frame this far over the noise (6 dB) holds speech. */
    private static final double SPEECH_OVER_NOISE = 4.0;
    /** Digital silence has no noise to measure: a floor keeps the ratio finite. */
    private static final double LEAST_NOISE = 1.0;

    private LineNoise() {}

    /**
     * Whether an answer with this estimate is too noisy to decode. Silence or noise alone (nothing
     * over the noise) is not: that caller said nothing, and is asked again.
     */
    public static boolean tooNoisy(double snrDb, double leastSnrDb) {
        return Double.isFinite(snrDb) && snrDb < leastSnrDb;
    }

    /**
     * The speech-to-noise ratio in dB; {@link Double#POSITIVE_INFINITY} for a recording too short to
     * tell (under five frames) and {@link Double#NEGATIVE_INFINITY} for one with nothing over the noise
     * (silence, or noise alone: not a noisy line but a caller who said nothing).
     */
    public static double snrDb(short[] samples, int sampleRate) {
        int frame = sampleRate / FRAMES_PER_SECOND;
        int frames = samples.length / frame;
        if (frames < 5) {
            return Double.POSITIVE_INFINITY;
        }
        double[] power = new double[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += (double) samples[i] * samples[i];
            }
            power[f] = sum / frame;
        }
        double[] sorted = power.clone();
        Arrays.sort(sorted);
        int quiet = Math.max(1, (int) (frames * NOISE_SHARE));
        double noise =
                Math.max(LEAST_NOISE, Arrays.stream(sorted, 0, quiet).average().orElse(0));
        double[] speech =
                Arrays.stream(power).filter(p -> p > SPEECH_OVER_NOISE * noise).toArray();
        if (speech.length == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double speechPower = Arrays.stream(speech).average().orElse(0) - noise;
        return 10 * Math.log10(speechPower / noise);
    }
}
