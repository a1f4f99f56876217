package vn.vss.ivr.adapter.vosk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One stretch of audio the decoder closed (at a pause it took for the end of speech, or at the end
 * of the recording), parsed from Vosk's JSON: its readings, best first.
 */
record VoskResult(List<Reading> readings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    VoskResult {
        readings = List.copyOf(readings);
    }

    /** True when the decoder heard nothing here: no reading, or one without words. */
    boolean isSilence() {
        return readings.isEmpty()
                || (readings.size() == 1 && readings.get(0).words().isEmpty());
    }

    /** One way to read the stretch; {@code score} is the decoder's log-likelihood (0 without n-best). */
    record Reading(List<Word> words, double score) {
        Reading {
            words = List.copyOf(words);
        }

        List<String> texts() {
            return words.stream().map(Word::text).toList();
        }
    }

    /** A word with its times in seconds; {@code confidence} is NaN when the decoder gave none. */
    record Word(String text, double start, double end, double confidence) {
        double middle() {
            return (start + end) / 2;
        }
    }

    /**
     * Parses {@code {"result": [...], "text": ...}} (single best, with word confidences) or
     * {@code {"alternatives": [{"confidence": ..., "result": [...], "text": ...}, ...]}} (n-best).
     */
    static VoskResult parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        List<Reading> readings = new ArrayList<>();
        if (root.has("alternatives")) {
            for (JsonNode alternative : root.get("alternatives")) {
                readings.add(new Reading(
                        words(alternative.path("result")),
                        alternative.path("confidence").asDouble(0)));
            }
        } else {
            readings.add(new Reading(words(root.path("result")), 0));
        }
        return new VoskResult(readings);
    }

    private static List<Word> words(JsonNode result) {
        List<Word> words = new ArrayList<>();
        for (JsonNode word : result) {
            words.add(new Word(
                    word.path("word").asText(""),
                    word.path("start").asDouble(0),
                    word.path("end").asDouble(0),
                    word.has("conf") ? word.get("conf").asDouble() : Double.NaN));
        }
        return words;
    }
}
