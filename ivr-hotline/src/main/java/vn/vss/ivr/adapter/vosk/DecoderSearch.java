package vn.vss.ivr.adapter.vosk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the decoder weighs the sound against the grammar and how widely it searches: written over
 * the model's own {@code conf/model.conf} when the model is loaded. A value of 0 keeps the model's.
 *
 * <p>Why it matters on a noisy line: with a grammar of equally likely digit words, noise makes the
 * decoder drop digits far more often than invent them, and a higher acoustic scale is the one knob
 * Vosk has that makes each word cheaper to keep. A wider beam and lattice give the n-best list more
 * readings of the right length to choose from.
 *
 * @param acousticScale weight of the acoustic model's scores (the models ship 1.0)
 * @param beam decoding beam (10.0 shipped)
 * @param latticeBeam lattice beam, which bounds the n-best list (2.0 shipped)
 * @param maxActive most active states per frame (3,000 shipped)
 */
public record DecoderSearch(double acousticScale, double beam, double latticeBeam, int maxActive) {
    /** The model's own settings. */
    public static final DecoderSearch MODEL = new DecoderSearch(0, 0, 0, 0);

    /** What the speech benchmark measured best on noisy telephone audio. */
    public static final DecoderSearch NOISY_LINE = new DecoderSearch(2.0, 13.0, 4.0, 7000);

    public DecoderSearch {
        if (acousticScale < 0 || beam < 0 || latticeBeam < 0 || maxActive < 0) {
            throw new IllegalArgumentException("decoder search settings cannot be negative (0 keeps the model's)");
        }
    }

    /** The model.conf options to set, as Kaldi names them. */
    Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (acousticScale > 0) {
            overrides.put("--acoustic-scale", Double.toString(acousticScale));
        }
        if (beam > 0) {
            overrides.put("--beam", Double.toString(beam));
        }
        if (latticeBeam > 0) {
            overrides.put("--lattice-beam", Double.toString(latticeBeam));
        }
        if (maxActive > 0) {
            overrides.put("--max-active", Integer.toString(maxActive));
        }
        return overrides;
    }
}
