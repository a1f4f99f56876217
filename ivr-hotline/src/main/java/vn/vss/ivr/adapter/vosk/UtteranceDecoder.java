package vn.vss.ivr.adapter.vosk;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/** Decodes one recorded utterance; the recogniser around it adds threads, time limits and the breaker. */
interface UtteranceDecoder extends AutoCloseable {
    /** True once the language's model is loaded. */
    boolean ready(Language language);

    /** Waits until the models have loaded or failed to; false if one failed or the wait ran out. */
    default boolean awaitModels(Duration timeout) throws InterruptedException {
        return true;
    }

    /**
     * Decodes mono 16-bit samples. Checks {@code abandoned} between frames and stops with a {@link
     * java.util.concurrent.CancellationException} once it is true.
     */
    Recognition decode(short[] samples, int sampleRate, Language language, BooleanSupplier abandoned)
            throws IOException;

    @Override
    void close();
}
