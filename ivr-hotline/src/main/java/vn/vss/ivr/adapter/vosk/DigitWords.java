package vn.vss.ivr.adapter.vosk;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import vn.vss.ivr.call.Language;

/**
 * The words a caller may use for the digits 0-9, per language, and the recogniser grammar made of
 * them. Vietnamese has regional and in-number variants: "linh"/"lẻ" for a zero inside a number,
 * "mốt" for one, "tư" for four, "lăm"/"nhăm" for five, "bẩy" (northern) for seven.
 */
public final class DigitWords {
    /** The recogniser's word for anything outside the grammar. */
    public static final String UNKNOWN = "[unk]";

    private static final Map<String, Integer> VIETNAMESE = table(
            "không", 0, "linh", 0, "lẻ", 0, "một", 1, "mốt", 1, "hai", 2, "ba", 3, "bốn", 4, "tư", 4, "năm", 5, "lăm",
            5, "nhăm", 5, "sáu", 6, "bảy", 7, "bẩy", 7, "tám", 8, "chín", 9);
    private static final Map<String, Integer> ENGLISH = table(
            "zero", 0, "oh", 0, "o", 0, "one", 1, "two", 2, "three", 3, "four", 4, "five", 5, "six", 6, "seven", 7,
            "eight", 8, "nine", 9);
    /** "o" is how some transcripts spell "oh"; the model's vocabulary has only "oh". */
    private static final List<String> ENGLISH_GRAMMAR =
            List.of("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    private static final List<String> ENGLISH_SPOKEN =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final List<String> VIETNAMESE_SPOKEN =
            List.of("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín");

    private DigitWords() {}

    /** The digit a word stands for, or empty if it is not a digit word of that language. */
    public static OptionalInt digit(String word, Language language) {
        if (word == null) {
            return OptionalInt.empty();
        }
        String key = Normalizer.normalize(word.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
        Integer digit = table(language).get(key);
        return digit == null ? OptionalInt.empty() : OptionalInt.of(digit);
    }

    /**
     * The digits the words spell, in order; empty when any word is not a digit word (including
     * {@link #UNKNOWN}), since a guess at the rest would be worse than asking again.
     */
    public static Optional<String> digits(List<String> words, Language language) {
        StringBuilder digits = new StringBuilder(words.size());
        for (String word : words) {
            OptionalInt digit = digit(word, language);
            if (digit.isEmpty()) {
                return Optional.empty();
            }
            digits.append((char) ('0' + digit.getAsInt()));
        }
        return Optional.of(digits.toString());
    }

    /** The words the recogniser may hear, {@link #UNKNOWN} last. */
    public static List<String> grammarWords(Language language) {
        List<String> words = new ArrayList<>(language == Language.EN ? ENGLISH_GRAMMAR : VIETNAMESE.keySet());
        words.add(UNKNOWN);
        return List.copyOf(words);
    }

    /** The grammar as the JSON array of phrases a Vosk recogniser takes, {@link #UNKNOWN} included. */
    public static String grammar(Language language) {
        return grammar(language, true);
    }

    /**
     * The grammar with or without {@link #UNKNOWN}. Without it the decoder must read every sound as
     * a digit or as silence; on telephone audio that loses fewer codes (see the speech benchmark).
     */
    public static String grammar(Language language, boolean withUnknown) {
        StringBuilder json = new StringBuilder("[");
        for (String word : grammarWords(language)) {
            if (!withUnknown && word.equals(UNKNOWN)) {
                continue;
            }
            json.append(json.length() > 1 ? ", " : "").append('"').append(word).append('"');
        }
        return json.append(']').toString();
    }

    /** The digits as the words a caller says, one per digit: "0912" is "zero nine one two". */
    public static String spoken(String digits, Language language) {
        List<String> names = language == Language.EN ? ENGLISH_SPOKEN : VIETNAMESE_SPOKEN;
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("digits only");
            }
            words.append(i > 0 ? " " : "").append(names.get(c - '0'));
        }
        return words.toString();
    }

    private static Map<String, Integer> table(Language language) {
        return language == Language.EN ? ENGLISH : VIETNAMESE;
    }

    private static Map<String, Integer> table(Object... pairs) {
        Map<String, Integer> table = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            table.put(Normalizer.normalize((String) pairs[i], Normalizer.Form.NFC), (Integer) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(table);
    }
}
