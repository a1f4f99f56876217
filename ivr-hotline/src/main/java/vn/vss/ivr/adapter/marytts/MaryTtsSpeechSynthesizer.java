package vn.vss.ivr.adapter.marytts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import marytts.LocalMaryInterface;
import marytts.MaryInterface;
import marytts.exceptions.MaryConfigurationException;
import marytts.exceptions.SynthesisException;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.SpeechSynthesizer;

/**
 * English speech from MaryTTS 5.2.1, in-process, with the voice cmu-slt-hsmm. MaryTTS is not safe
 * for concurrent synthesis on one interface, so calls are serialised.
 */
public final class MaryTtsSpeechSynthesizer implements SpeechSynthesizer {
    private static final String VOICE = "cmu-slt-hsmm";
    /** MaryTTS peaks reach full scale; G.711 would clip them. */
    private static final double GAIN_DB = -4.0;

    private final MaryInterface mary;

    private MaryTtsSpeechSynthesizer(MaryInterface mary) {
        this.mary = mary;
    }

    /** Starts MaryTTS (a few seconds). */
    public static MaryTtsSpeechSynthesizer start() {
        try {
            MaryInterface mary = new LocalMaryInterface();
            mary.setLocale(Locale.US);
            mary.setVoice(VOICE);
            return new MaryTtsSpeechSynthesizer(mary);
        } catch (MaryConfigurationException e) {
            throw new IllegalStateException("MaryTTS could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized short[] speak(String text) {
        try (AudioInputStream audio = mary.generateAudio(text)) {
            AudioFormat format = audio.getFormat();
            if (format.getChannels() != 1 || format.getSampleSizeInBits() != 16) {
                throw new IllegalStateException("MaryTTS produced " + format + "; expected 16-bit mono");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int read;
            // A single read returns at most one buffer of MaryTTS audio: read to the end.
            while ((read = audio.read(chunk)) > 0) {
                bytes.write(chunk, 0, read);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray())
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            short[] samples = new short[bytes.size() / 2];
            buffer.asShortBuffer().get(samples);
            return TelephoneAudio.toTelephoneRate(samples, format.getSampleRate(), GAIN_DB);
        } catch (SynthesisException | IOException e) {
            throw new IllegalStateException("MaryTTS could not speak a prompt: " + e.getMessage(), e);
        }
    }

    @Override
    public String voice() {
        return "marytts-" + VOICE;
    }
}
