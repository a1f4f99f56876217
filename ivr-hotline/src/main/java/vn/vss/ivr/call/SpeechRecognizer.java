package vn.vss.ivr.call;

import java.nio.file.Path;

/** Recognises the digits a caller said. Implementations bound their time and fail safe. */
public interface SpeechRecognizer {
    /** True when this language's model is loaded and the recogniser is healthy (breaker closed). */
    boolean accepts(Language language);

    /**
     * Recognises the digits spoken in a recording (8 kHz 16-bit mono WAV as Asterisk records it).
     * Never throws: a failure or time-out is a {@link Recognition} with {@link Recognition.Status#FAILED}.
     */
    Recognition recognizeDigits(Path recording, Language language);

    SpeechRecognizer NONE = new SpeechRecognizer() {
        @Override
        public boolean accepts(Language language) {
            return false;
        }

        @Override
        public Recognition recognizeDigits(Path recording, Language language) {
            return Recognition.failed();
        }
    };
}
