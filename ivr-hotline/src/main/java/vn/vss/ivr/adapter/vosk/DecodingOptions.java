package vn.vss.ivr.adapter.vosk;

/**
 * How one utterance is decoded. {@link #defaults()} are what the speech benchmark measured best on
 * noisy telephone audio; {@link #plain()} is Vosk as it comes, kept for comparison.
 *
 * @param adaptationPass decode the utterance twice and keep the second result: the first pass adapts
 *     the model's feature normalisation and speaker vector to this caller and line, without which the
 *     first digit is often lost
 * @param unknownWord let the grammar hear "[unk]" besides the digit words (an "[unk]" makes the
 *     result unclear)
 * @param alternatives size of the n-best list (0: the single best, with the decoder's per-word
 *     confidences)
 * @param expectedDigits among the n-best, prefer the best reading with this many digits (0: none)
 * @param noiseFloorDb noise reduction before decoding: the most a noisy frequency bin is lowered, in
 *     dB (0: off)
 * @param trimSilence cut what comes before and after the speech before decoding
 * @param search the decoder's acoustic scale and beams, over the model's own
 */
public record DecodingOptions(
        boolean adaptationPass,
        boolean unknownWord,
        int alternatives,
        int expectedDigits,
        double noiseFloorDb,
        boolean trimSilence,
        DecoderSearch search) {

    public DecodingOptions {
        if (alternatives < 0 || expectedDigits < 0) {
            throw new IllegalArgumentException("alternatives and expectedDigits cannot be negative");
        }
        if (search == null) {
            throw new IllegalArgumentException("search is required (DecoderSearch.MODEL keeps the model's)");
        }
        if (!(noiseFloorDb <= 0)) {
            throw new IllegalArgumentException("noiseFloorDb must be 0 (off) or negative");
        }
    }

    public static DecodingOptions defaults() {
        return new DecodingOptions(true, false, 20, 10, -18, false, DecoderSearch.NOISY_LINE);
    }

    public static DecodingOptions plain() {
        return new DecodingOptions(false, true, 0, 0, 0, false, DecoderSearch.MODEL);
    }

    public DecodingOptions withAdaptationPass(boolean on) {
        return new DecodingOptions(on, unknownWord, alternatives, expectedDigits, noiseFloorDb, trimSilence, search);
    }

    public DecodingOptions withUnknownWord(boolean on) {
        return new DecodingOptions(adaptationPass, on, alternatives, expectedDigits, noiseFloorDb, trimSilence, search);
    }

    public DecodingOptions withAlternatives(int count, int preferredDigits) {
        return new DecodingOptions(
                adaptationPass, unknownWord, count, preferredDigits, noiseFloorDb, trimSilence, search);
    }

    public DecodingOptions withNoiseFloorDb(double floorDb) {
        return new DecodingOptions(
                adaptationPass, unknownWord, alternatives, expectedDigits, floorDb, trimSilence, search);
    }

    public DecodingOptions withTrimSilence(boolean on) {
        return new DecodingOptions(adaptationPass, unknownWord, alternatives, expectedDigits, noiseFloorDb, on, search);
    }

    public DecodingOptions withSearch(DecoderSearch newSearch) {
        return new DecodingOptions(
                adaptationPass, unknownWord, alternatives, expectedDigits, noiseFloorDb, trimSilence, newSearch);
    }
}
