package vn.vss.ivr.audio;

/**
 * G.711 u-law, the codec of the Vietnamese telephone network: 14-bit linear samples squeezed into 8
 * bits. Used to give test and benchmark audio the quantisation noise a real call has.
 */
public final class MuLaw {
    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    private MuLaw() {}

    public static byte encode(short sample) {
        int value = sample;
        int sign = (value >> 8) & 0x80;
        if (sign != 0) {
            value = -value;
        }
        value = Math.min(value, CLIP) + BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short decode(byte code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int magnitude = ((((u & 0x0F) << 3) + BIAS) << exponent) - BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    /** The samples as the far end hears them after one pass through the codec. */
    public static short[] roundTrip(short[] samples) {
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = decode(encode(samples[i]));
        }
        return out;
    }
}
