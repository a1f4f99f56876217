package vn.vss.ivr.audio;

/**
 * Doubles the sample rate of telephone audio (8 kHz to 16 kHz) for a recogniser trained on wideband
 * speech. Zero-stuffing and a windowed-sinc low-pass at just under 4 kHz, so that the new upper band
 * stays empty instead of holding a mirror image of the speech that the model would hear as noise.
 */
public final class Upsampler {
    private static final int HALF_TAPS = 24;
    /** Taps for the odd output samples; the even ones are the input samples themselves. */
    private static final double[] ODD = oddPhase();

    private Upsampler() {}

    public static short[] doubleRate(short[] samples) {
        short[] out = new short[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = samples[i];
            double acc = 0;
            for (int k = 0; k < ODD.length; k++) {
                int j = i - HALF_TAPS + 1 + k;
                if (j >= 0 && j < samples.length) {
                    acc += samples[j] * ODD[k];
                }
            }
            out[2 * i + 1] = clip(acc);
        }
        return out;
    }

    /**
     * The half-band filter's taps at odd offsets from the centre (its even taps are zero and its
     * centre tap is one, which is why even outputs copy the input).
     */
    private static double[] oddPhase() {
        double[] taps = new double[2 * HALF_TAPS];
        double sum = 0;
        for (int k = 0; k < taps.length; k++) {
            double offset = (k - HALF_TAPS + 0.5); // distance in input samples from the new sample
            double sinc = Math.sin(Math.PI * offset) / (Math.PI * offset);
            double window = kaiser(offset / (HALF_TAPS + 0.5), 8.0);
            taps[k] = sinc * window;
            sum += taps[k];
        }
        for (int k = 0; k < taps.length; k++) {
            taps[k] /= sum;
        }
        return taps;
    }

    private static double kaiser(double x, double beta) {
        double r = 1 - x * x;
        return r <= 0 ? 0 : besselI0(beta * Math.sqrt(r)) / besselI0(beta);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 30; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    private static short clip(double value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }
}
