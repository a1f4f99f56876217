package vn.vss.ivr.harness.speech;

import java.util.Arrays;
import java.util.Random;
import vn.vss.ivr.audio.MuLaw;

/**
 * What a recording of a caller sounds like after the telephone network: the caller's speech with a
 * pause before it and the silence that ended the recording after it, white line noise at a given
 * signal-to-noise ratio, and one pass through G.711 u-law. For tests and the speech benchmark.
 */
public final class TelephoneLine {
    public static final int SAMPLE_RATE = 8000;
    /** A frame this far below the loudest one is a pause, not speech, when measuring speech power. */
    private static final double PAUSE_BELOW_PEAK = 1e-4;

    private TelephoneLine() {}

    /**
     * @param speech 8 kHz samples of what the caller says
     * @param snrDb speech power over noise power, in dB; {@link Double#POSITIVE_INFINITY} for none
     */
    public static short[] record(short[] speech, double leadSeconds, double trailSeconds, double snrDb, Random random) {
        int lead = (int) Math.round(leadSeconds * SAMPLE_RATE);
        int trail = (int) Math.round(trailSeconds * SAMPLE_RATE);
        short[] recording = new short[lead + speech.length + trail];
        System.arraycopy(speech, 0, recording, lead, speech.length);
        if (Double.isFinite(snrDb)) {
            double sigma = Math.sqrt(speechPower(speech) / Math.pow(10, snrDb / 10));
            for (int i = 0; i < recording.length; i++) {
                recording[i] = clip(recording[i] + random.nextGaussian() * sigma);
            }
        }
        return MuLaw.roundTrip(recording);
    }

    /** Mean power of the 20 ms frames that hold speech, the pauses between words left out. */
    public static double speechPower(short[] speech) {
        int frame = SAMPLE_RATE / 50;
        int frames = speech.length / frame;
        if (frames == 0) {
            return 0;
        }
        double[] power = new double[frames];
        for (int f = 0; f < frames; f++) {
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                power[f] += (double) speech[i] * speech[i] / frame;
            }
        }
        double peak = Arrays.stream(power).max().orElse(0);
        return Arrays.stream(power)
                .filter(p -> p > peak * PAUSE_BELOW_PEAK)
                .average()
                .orElse(0);
    }

    private static short clip(double value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }
}
