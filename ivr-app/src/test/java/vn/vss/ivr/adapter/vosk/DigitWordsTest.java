package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.vss.ivr.call.Language;

class DigitWordsTest {

    @ParameterizedTest
    @CsvSource({
        "không,0", "linh,0", "lẻ,0", "một,1", "mốt,1", "hai,2", "ba,3", "bốn,4", "tư,4", "năm,5", "lăm,5", "nhăm,5",
        "sáu,6", "bảy,7", "bẩy,7", "tám,8", "chín,9"
    })
    void everyVietnameseVariantIsItsDigit(String word, int digit) {
        assertThat(DigitWords.digit(word, Language.VI)).hasValue(digit);
    }

    @ParameterizedTest
    @CsvSource({
        "zero,0", "oh,0", "o,0", "one,1", "two,2", "three,3", "four,4", "five,5", "six,6", "seven,7", "eight,8",
        "nine,9"
    })
    void everyEnglishWordIsItsDigit(String word, int digit) {
        assertThat(DigitWords.digit(word, Language.EN)).hasValue(digit);
    }

    @Test
    void givenDecomposedOrCapitalisedVietnamese_thenTheDigitIsStillFound() {
        String decomposed = Normalizer.normalize("Bẩy", Normalizer.Form.NFD);

        assertThat(DigitWords.digit(decomposed, Language.VI)).hasValue(7);
        assertThat(DigitWords.digit(" Chín ", Language.VI)).hasValue(9);
        assertThat(DigitWords.digit("ZERO", Language.EN)).hasValue(0);
    }

    @Test
    void givenWordsOfTheOtherLanguage_thenTheyAreNoDigits() {
        assertThat(DigitWords.digit("one", Language.VI)).isEmpty();
        assertThat(DigitWords.digit("một", Language.EN)).isEmpty();
    }

    @Test
    void givenOnlyDigitWords_thenTheDigitsComeInOrder() {
        List<String> words = List.of("không", "chín", "một", "hai", "lẻ", "mốt", "tư", "lăm", "bẩy", "tám");

        assertThat(DigitWords.digits(words, Language.VI)).hasValue("0912014578");
        assertThat(DigitWords.digits(List.of("oh", "nine", "o", "zero"), Language.EN))
                .hasValue("0900");
    }

    @Test
    void givenAnUnknownWordOrAnyOtherWord_thenTheResultIsUnclear() {
        assertThat(DigitWords.digits(List.of("one", "[unk]", "two"), Language.EN))
                .isEmpty();
        assertThat(DigitWords.digits(List.of("one", "hundred"), Language.EN)).isEmpty();
        assertThat(DigitWords.digits(List.of("mười", "hai"), Language.VI)).isEmpty();
        assertThat(DigitWords.digits(Arrays.asList("one", null), Language.EN)).isEmpty();
    }

    @Test
    void givenNoWords_thenNoDigits() {
        assertThat(DigitWords.digits(List.of(), Language.EN)).hasValue("");
    }

    @Test
    void theGrammarIsAJsonListOfEveryDigitWordAndTheUnknownWord() throws Exception {
        for (Language language : Language.values()) {
            String[] phrases = new ObjectMapper().readValue(DigitWords.grammar(language), String[].class);

            assertThat(phrases).containsExactlyElementsOf(DigitWords.grammarWords(language));
            assertThat(phrases).endsWith(DigitWords.UNKNOWN);
            for (String phrase : phrases) {
                if (!phrase.equals(DigitWords.UNKNOWN)) {
                    assertThat(DigitWords.digit(phrase, language)).as(phrase).isPresent();
                }
            }
        }
        assertThat(DigitWords.grammarWords(Language.VI))
                .contains("không", "linh", "lẻ", "mốt", "tư", "lăm", "nhăm", "bẩy");
        assertThat(DigitWords.grammarWords(Language.EN)).contains("zero", "oh", "nine");
    }

    @Test
    void theGrammarWithoutTheUnknownWordHasOnlyDigitWords() throws Exception {
        String[] phrases = new ObjectMapper().readValue(DigitWords.grammar(Language.EN, false), String[].class);

        assertThat(phrases).doesNotContain(DigitWords.UNKNOWN).hasSize(11);
    }

    @Test
    void spokenDigitsReadBackAsTheSameDigits() {
        Random random = new Random(3);
        for (Language language : Language.values()) {
            for (int i = 0; i < 100; i++) {
                String code = String.format("%010d", random.nextLong(10_000_000_000L));
                List<String> words = List.of(DigitWords.spoken(code, language).split(" "));

                assertThat(DigitWords.digits(words, language)).hasValue(code);
            }
        }
        assertThat(DigitWords.spoken("0912", Language.EN)).isEqualTo("zero nine one two");
        assertThat(DigitWords.spoken("0912", Language.VI)).isEqualTo("không chín một hai");
    }

    @Test
    void onlyDigitsCanBeSpoken() {
        assertThatThrownBy(() -> DigitWords.spoken("12a", Language.EN)).isInstanceOf(IllegalArgumentException.class);
    }
}
