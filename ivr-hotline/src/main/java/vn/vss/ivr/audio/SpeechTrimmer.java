package vn.vss.ivr.audio;

import java.util.Arrays;

/**
 * Cuts the silence (or steady noise) before and after what the caller said, by frame energy
 * measured against the recording's own noise floor, so the recogniser neither spends time on it nor
 * hears digits in it. A margin stays on both sides for the soft edges of words ("six", "eight").
 */
public final class SpeechTrimmer {
    private static final int FRAMES_PER_SECOND = 50;
    /** Speech must stand this far above the floor, at least... */
    private static final double MIN_RISE_DB = 6;
    /** ...and this share of the way from the floor to the loud frames. */
    private static final double RISE_SHARE = 0.3;
    /** A run of loud frames shorter than this is a click, not speech. */
    private static final int MIN_RUN_FRAMES = 5;

    private final double marginSeconds;

    public SpeechTrimmer(double marginSeconds) {
        if (!(marginSeconds >= 0)) {
            throw new IllegalArgumentException("the margin cannot be negative");
        }
        this.marginSeconds = marginSeconds;
    }

    /**
     * The samples from just before the first stretch of speech to just after the last; all of them
     * when no part stands out from the rest (nothing said, or noise throughout).
     */
    public short[] trim(short[] samples, int sampleRate) {
        int frame = sampleRate / FRAMES_PER_SECOND;
        int frames = samples.length / frame;
        if (frames < MIN_RUN_FRAMES) {
            return samples;
        }
        double[] level = new double[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += (double) samples[i] * samples[i];
            }
            level[f] = 10 * Math.log10(sum / frame + 1);
        }
        double[] sorted = level.clone();
        Arrays.sort(sorted);
        double floor = sorted[frames / 10];
        double loud = sorted[Math.min(frames - 1, frames * 95 / 100)];
        double threshold = floor + Math.max(MIN_RISE_DB, RISE_SHARE * (loud - floor));
        if (loud < threshold) {
            return samples;
        }
        int first = -1;
        int last = -1;
        int run = 0;
        for (int f = 0; f < frames; f++) {
            run = level[f] >= threshold ? run + 1 : 0;
            if (run >= MIN_RUN_FRAMES) {
                if (first < 0) {
                    first = f - run + 1;
                }
                last = f;
            }
        }
        if (first < 0) {
            return samples;
        }
        int margin = (int) Math.round(marginSeconds * sampleRate);
        int from = Math.max(0, first * frame - margin);
        int to = Math.min(samples.length, (last + 1) * frame + margin);
        return Arrays.copyOfRange(samples, from, to);
    }
}
