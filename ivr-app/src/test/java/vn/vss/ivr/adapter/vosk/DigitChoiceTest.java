package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

class DigitChoiceTest {

    @Test
    void givenTheSingleBest_thenTheDigitsCarryTheDecodersWordConfidences() throws Exception {
        VoskResult result = VoskResult.parse(
                """
                {"result": [
                  {"conf": 1.0, "end": 0.9, "start": 0.5, "word": "zero"},
                  {"conf": 0.42, "end": 1.3, "start": 0.9, "word": "nine"}],
                 "text": "zero nine"}
                """);

        Recognition recognition = DigitChoice.choose(List.of(result), Language.EN, 0);

        assertThat(recognition.status()).isEqualTo(Recognition.Status.DIGITS);
        assertThat(recognition.digits()).isEqualTo("09");
        assertThat(recognition.confidences()).containsExactly(1.0, 0.42);
    }

    @Test
    void givenAnUnknownWord_thenTheResultIsUnclear() throws Exception {
        VoskResult result = VoskResult.parse(
                """
                {"result": [{"conf": 1.0, "end": 0.9, "start": 0.5, "word": "zero"},
                            {"conf": 0.8, "end": 1.3, "start": 0.9, "word": "[unk]"}],
                 "text": "zero [unk]"}
                """);

        assertThat(DigitChoice.choose(List.of(result), Language.EN, 0).status()).isEqualTo(Recognition.Status.UNCLEAR);
    }

    @Test
    void givenOnlySilence_thenTheResultIsUnclear() throws Exception {
        VoskResult silence = VoskResult.parse("{\"text\": \"\"}");

        assertThat(DigitChoice.choose(List.of(silence, silence), Language.EN, 10))
                .isEqualTo(Recognition.unclear());
    }

    @Test
    void givenAShorterBestReading_thenTheBestReadingWithTheExpectedLengthWins() throws Exception {
        VoskResult result =
                VoskResult.parse(nBest(alternative(200.0, "one two three"), alternative(199.0, "six one two three")));

        assertThat(DigitChoice.choose(List.of(result), Language.EN, 4).digits()).isEqualTo("6123");
        assertThat(DigitChoice.choose(List.of(result), Language.EN, 0).digits()).isEqualTo("123");
    }

    @Test
    void givenNoReadingWithTheExpectedLength_thenTheBestReadingStands() throws Exception {
        VoskResult result = VoskResult.parse(nBest(alternative(200.0, "one two"), alternative(199.0, "one two two")));

        assertThat(DigitChoice.choose(List.of(result), Language.EN, 10).digits())
                .isEqualTo("12");
    }

    @Test
    void givenSeveralStretches_thenTheCombinationWithTheExpectedLengthIsChosen() throws Exception {
        VoskResult first = VoskResult.parse(nBest(alternative(100.0, "one two"), alternative(99.5, "one two two")));
        VoskResult second =
                VoskResult.parse(nBest(alternative(80.0, "three four"), alternative(75.0, "three four five")));

        Recognition recognition = DigitChoice.choose(List.of(first, second), Language.EN, 5);

        assertThat(recognition.digits()).isEqualTo("12234");
        assertThat(recognition.confidences()).hasSize(5);
    }

    @Test
    void withNBest_aDigitAllReadingsAgreeOnIsCertainAndADisputedOneIsNot() throws Exception {
        VoskResult result = VoskResult.parse(nBest(alternative(200.0, "one two"), alternative(200.0, "one three")));

        Recognition recognition = DigitChoice.choose(List.of(result), Language.EN, 2);

        assertThat(recognition.confidences().get(0)).isEqualTo(1.0);
        assertThat(recognition.confidences().get(1)).isEqualTo(0.5);
    }

    /** Words half a second apart, so that readings of the same digits line up in time. */
    private static String alternative(double score, String text) {
        StringBuilder words = new StringBuilder();
        String[] split = text.split(" ");
        for (int i = 0; i < split.length; i++) {
            words.append(i > 0 ? "," : "")
                    .append(String.format(
                            Locale.ROOT,
                            "{\"start\": %.2f, \"end\": %.2f, \"word\": \"%s\"}",
                            0.5 * i,
                            0.5 * i + 0.4,
                            split[i]));
        }
        return String.format(
                Locale.ROOT, "{\"confidence\": %.1f, \"result\": [%s], \"text\": \"%s\"}", score, words, text);
    }

    private static String nBest(String... alternatives) {
        return "{\"alternatives\": [" + String.join(",", alternatives) + "]}";
    }
}
