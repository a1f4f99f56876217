package vn.vss.ivr.adapter.vosk;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.vosk.Model;
import org.vosk.Recognizer;
import vn.vss.ivr.audio.NoiseReducer;
import vn.vss.ivr.audio.SpeechTrimmer;
import vn.vss.ivr.audio.Upsampler;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/**
 * Decodes an utterance with a fresh Vosk {@link Recognizer} restricted to the digit words. The
 * models are 16 kHz models: telephone audio is upsampled here, since at 8 kHz they hear nothing.
 */
final class VoskDigitDecoder implements UtteranceDecoder {
    private static final int TELEPHONE_RATE = 8000;
    private static final int FRAMES_PER_SECOND = 50;

    private final VoskModels models;
    private final DecodingOptions options;
    private final Map<Language, String> grammars = new EnumMap<>(Language.class);
    private final SpeechTrimmer trimmer = new SpeechTrimmer(0.3);

    VoskDigitDecoder(VoskModels models, DecodingOptions options) {
        this.models = models;
        this.options = options;
        for (Language language : Language.values()) {
            grammars.put(language, DigitWords.grammar(language, options.unknownWord()));
        }
    }

    @Override
    public boolean awaitModels(Duration timeout) throws InterruptedException {
        return models.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean ready(Language language) {
        return models.ready(language);
    }

    @Override
    public Recognition decode(short[] samples, int sampleRate, Language language, BooleanSupplier abandoned)
            throws IOException {
        Model model =
                models.model(language).orElseThrow(() -> new IllegalStateException("no speech model for " + language));
        short[] audio = samples;
        if (options.noiseFloorDb() < 0) {
            audio = new NoiseReducer(options.noiseFloorDb()).apply(audio);
        }
        if (options.trimSilence()) {
            audio = trimmer.trim(audio, sampleRate);
        }
        int rate = sampleRate;
        if (rate == TELEPHONE_RATE) {
            audio = Upsampler.doubleRate(audio);
            rate = 2 * TELEPHONE_RATE;
        }
        try (Recognizer recognizer = new Recognizer(model, rate, grammars.get(language))) {
            recognizer.setWords(true);
            if (options.alternatives() > 0) {
                recognizer.setMaxAlternatives(options.alternatives());
            }
            if (options.adaptationPass()) {
                // Vosk keeps the feature pipeline (normalisation, speaker vector) across a reset.
                feed(recognizer, audio, rate, abandoned, null);
                recognizer.reset();
            }
            List<VoskResult> stretches = new ArrayList<>();
            feed(recognizer, audio, rate, abandoned, stretches);
            stretches.add(VoskResult.parse(recognizer.getFinalResult()));
            return DigitChoice.choose(stretches, language, options.expectedDigits());
        }
    }

    /** Feeds 20 ms frames; {@code stretches}, if given, collects what the decoder closes on the way. */
    private static void feed(
            Recognizer recognizer, short[] audio, int rate, BooleanSupplier abandoned, List<VoskResult> stretches)
            throws IOException {
        int frame = rate / FRAMES_PER_SECOND;
        short[] buffer = new short[frame];
        for (int offset = 0; offset < audio.length; offset += frame) {
            if (abandoned.getAsBoolean()) {
                throw new CancellationException("abandoned after its time limit");
            }
            int length = Math.min(frame, audio.length - offset);
            System.arraycopy(audio, offset, buffer, 0, length);
            boolean closedStretch = recognizer.acceptWaveForm(buffer, length);
            if (closedStretch && stretches != null) {
                stretches.add(VoskResult.parse(recognizer.getResult()));
            }
        }
    }

    @Override
    public void close() {
        models.close();
    }
}
