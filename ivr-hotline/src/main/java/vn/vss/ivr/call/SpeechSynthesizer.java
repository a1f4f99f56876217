package vn.vss.ivr.call;

/** Turns prompt text into telephone audio. */
public interface SpeechSynthesizer {
    /** The text spoken as 8 kHz 16-bit mono samples. */
    short[] speak(String text);

    /** A short name for logs, e.g. the voice. */
    String voice();
}
