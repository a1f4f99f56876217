package vn.vss.ivr.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Audio as Asterisk plays it: 8 kHz, 16-bit signed little-endian mono PCM in a WAV file. Converts
 * from the synthesiser's rate with a low-pass filter (so nothing above the telephone band folds back
 * as noise) and lowers the gain, since synthesised peaks clip once coded as G.711.
 */
public final class TelephoneAudio {
    public static final int SAMPLE_RATE = 8000;
    private static final int HEADER_BYTES = 44;

    private TelephoneAudio() {}

    /** Resamples mono 16-bit samples at {@code sourceRate} to 8 kHz, with a gain in decibels. */
    public static short[] toTelephoneRate(short[] samples, float sourceRate, double gainDb) {
        double[] filtered = sourceRate > SAMPLE_RATE ? lowPass(samples, 3400.0 / sourceRate) : toDoubles(samples);
        double step = sourceRate / SAMPLE_RATE;
        int outLength = (int) Math.floor(filtered.length / step);
        double gain = Math.pow(10, gainDb / 20);
        short[] out = new short[outLength];
        for (int i = 0; i < outLength; i++) {
            double position = i * step;
            int index = (int) position;
            double fraction = position - index;
            double next = index + 1 < filtered.length ? filtered[index + 1] : filtered[index];
            double value = (filtered[index] * (1 - fraction) + next * fraction) * gain;
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
        }
        return out;
    }

    /** Windowed-sinc FIR low-pass; {@code cutoff} is a fraction of the sample rate. */
    private static double[] lowPass(short[] samples, double cutoff) {
        int taps = 101;
        int half = taps / 2;
        double[] kernel = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            int n = i - half;
            double sinc = n == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
            double window = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (taps - 1));
            kernel[i] = sinc * window;
            sum += kernel[i];
        }
        double[] out = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            double acc = 0;
            for (int k = 0; k < taps; k++) {
                int j = i + k - half;
                if (j >= 0 && j < samples.length) {
                    acc += samples[j] * kernel[k];
                }
            }
            out[i] = acc / sum;
        }
        return out;
    }

    private static double[] toDoubles(short[] samples) {
        double[] out = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = samples[i];
        }
        return out;
    }

    /**
     * Cuts leading and trailing near-silence (below 1 % of full scale), keeping {@code keep} of it at
     * each end: synthesised digit clips otherwise carry most of a second of silence each, and a code
     * read back digit by digit would drag.
     */
    public static short[] trimSilence(short[] samples, Duration keep) {
        int threshold = 328;
        int first = 0;
        while (first < samples.length && Math.abs(samples[first]) < threshold) {
            first++;
        }
        int last = samples.length - 1;
        while (last > first && Math.abs(samples[last]) < threshold) {
            last--;
        }
        if (first >= samples.length) {
            return samples;
        }
        int pad = (int) (SAMPLE_RATE * keep.toMillis() / 1000);
        int from = Math.max(0, first - pad);
        int to = Math.min(samples.length, last + 1 + pad);
        return java.util.Arrays.copyOfRange(samples, from, to);
    }

    public static short[] silence(Duration duration) {
        return new short[(int) (SAMPLE_RATE * duration.toMillis() / 1000)];
    }

    /** A complete WAV file holding the samples at 8 kHz. */
    public static byte[] wav(short[] samples) {
        int dataBytes = samples.length * 2;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        buffer.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buffer.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        buffer.putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2);
        buffer.putShort((short) 2).putShort((short) 16);
        buffer.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (short sample : samples) {
            buffer.putShort(sample);
        }
        return buffer.array();
    }

    /** Reads the samples of a 16-bit mono PCM WAV file, whatever its chunk layout. */
    public static Pcm read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static Pcm read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return parse(bytes.toByteArray());
    }

    /** Decoded PCM: its rate and samples. */
    public record Pcm(int sampleRate, short[] samples) {
        public Duration duration() {
            return Duration.ofMillis(samples.length * 1000L / sampleRate);
        }
    }

    private static Pcm parse(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || buffer.getInt(0) != 0x46464952 || buffer.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int position = 12;
        int sampleRate = -1;
        while (position + 8 <= bytes.length) {
            int id = buffer.getInt(position);
            int size = buffer.getInt(position + 4);
            int body = position + 8;
            if (size < 0 || body + size > bytes.length) {
                size = bytes.length - body;
            }
            if (id == 0x20746d66) { // "fmt "
                int format = buffer.getShort(body) & 0xFFFF;
                int channels = buffer.getShort(body + 2);
                sampleRate = buffer.getInt(body + 4);
                int bits = buffer.getShort(body + 14);
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IOException("expected 16-bit mono PCM, found format " + format + ", " + channels
                            + " channel(s), " + bits + " bits");
                }
            } else if (id == 0x61746164) { // "data"
                if (sampleRate <= 0) {
                    throw new IOException("WAV data before its format");
                }
                short[] samples = new short[size / 2];
                buffer.position(body);
                buffer.asShortBuffer().get(samples);
                return new Pcm(sampleRate, samples);
            }
            position = body + size + (size & 1);
        }
        throw new IOException("WAV file without a data chunk");
    }
}
