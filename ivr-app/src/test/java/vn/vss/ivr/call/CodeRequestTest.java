package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.call.Prompt.ASK_CODE;
import static vn.vss.ivr.call.Prompt.ASK_CODE_VOICE;
import static vn.vss.ivr.call.Prompt.CONFIRM_CODE_INTRO;
import static vn.vss.ivr.call.Prompt.NOT_UNDERSTOOD;
import static vn.vss.ivr.call.Prompt.SWITCH_TO_KEYPAD;
import static vn.vss.ivr.call.Prompt.TOO_NOISY;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.FakeCallerChannel;
import vn.vss.ivr.support.FakeSpeechRecognizer;

class CodeRequestTest {
    private static final SpokenAnswer SPEECH = new SpokenAnswer.Speech(Path.of("rec-1.wav"));

    private final FakeSpeechRecognizer recognizer = new FakeSpeechRecognizer();

    private CodeRequest.Result ask(FakeCallerChannel caller, SpeechRecognizer speech) {
        return new CodeRequest(caller, CallSettings.defaults(), speech, Language.VI).ask(Optional.empty());
    }

    @Test
    void givenASpokenCodeConfirmedWithOne_thenItIsTheCodeBySpeech() {
        recognizer.hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel().says(SPEECH).pressesAfterPrompt('1');

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.SPEECH);
        assertThat(caller.played())
                .startsWith(ASK_CODE_VOICE, CONFIRM_CODE_INTRO)
                .doesNotContain(ASK_CODE);
        assertThat(caller.digitsAfter(CONFIRM_CODE_INTRO, 1)).isEqualTo("0123456789");
        assertThat(caller.recordingsDiscarded()).isEqualTo(1);
    }

    @Test
    void givenTheCallerSaysTwoAfterTheReadBack_thenTheCodeIsAskedAgain() {
        recognizer.hears("0123456780").hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel()
                .says(SPEECH)
                .pressesAfterPrompt('2')
                .says(SPEECH)
                .pressesAfterPrompt('1');

        assertThat(ask(caller, recognizer).code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(caller.played().stream().filter(p -> p == ASK_CODE_VOICE)).hasSize(2);
    }

    @Test
    void givenOnePressedDuringTheReadBack_thenTheCodeIsAcceptedWithoutTheRestOfIt() {
        recognizer.hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel().says(SPEECH).keyDuringPrompt(Prompt.DIGIT_4, '1');

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(caller.played())
                .endsWith(Prompt.DIGIT_3, Prompt.PAUSE, Prompt.DIGIT_4)
                .doesNotContain(Prompt.DIGIT_5, Prompt.CONFIRM_CODE_KEYS);
    }

    @Test
    void givenTwoPressedDuringTheReadBack_thenTheCodeIsAskedAgain() {
        recognizer.hears("0123456780").hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel()
                .says(SPEECH)
                .keyDuringPrompt(Prompt.DIGIT_2, '2')
                .says(SPEECH)
                .pressesAfterPrompt('1');

        assertThat(ask(caller, recognizer).code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(caller.played().stream().filter(p -> p == ASK_CODE_VOICE)).hasSize(2);
    }

    @Test
    void givenAKeyDuringTheSpokenCodePrompt_thenTheKeypadTakesOverWithThatKeyKept() {
        FakeCallerChannel caller =
                new FakeCallerChannel().keyDuringPrompt(ASK_CODE_VOICE, '0').entry("123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played()).doesNotContain(ASK_CODE, SWITCH_TO_KEYPAD);
    }

    @Test
    void givenAKeyInsteadOfSpeech_thenTheKeypadTakesOverWithThatKeyKept() {
        FakeCallerChannel caller =
                new FakeCallerChannel().says(new SpokenAnswer.Key('0')).entry("123456789");

        assertThat(ask(caller, recognizer).code()).map(BhxhCode::digits).contains("0123456789");
    }

    @Test
    void givenTwoSpokenTriesNotUnderstood_thenTheCallerIsSentToTheKeypad() {
        recognizer.hearsNothingClear().hears("12345");
        FakeCallerChannel caller =
                new FakeCallerChannel().says(SPEECH).says(SPEECH).entry("0123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(result.tries()).isEqualTo(3);
        assertThat(caller.played())
                .containsSubsequence(ASK_CODE_VOICE, NOT_UNDERSTOOD, ASK_CODE_VOICE, NOT_UNDERSTOOD, SWITCH_TO_KEYPAD);
    }

    @Test
    void givenALineTooNoisyForSpeech_thenTheCallerIsToldAndSentToTheKeypadAtOnce() {
        recognizer.hearsTooMuchNoise().hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel().says(SPEECH).entry("0123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played()).containsExactly(ASK_CODE_VOICE, TOO_NOISY, SWITCH_TO_KEYPAD);
        assertThat(caller.recordingsDiscarded()).isEqualTo(1);
    }

    @Test
    void givenTheRecogniserFails_thenTheKeypadTakesOverAtOnceWithoutBlamingTheCaller() {
        recognizer.fails().hears("0123456789");
        FakeCallerChannel caller =
                new FakeCallerChannel().says(SPEECH).says(SPEECH).entry("0123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played()).containsExactly(ASK_CODE_VOICE, SWITCH_TO_KEYPAD);
        assertThat(caller.recordingsDiscarded()).isEqualTo(1);
    }

    @Test
    void givenARecordingOutOfTheAppsReach_thenTheKeypadTakesOverAtOnceWithoutBlamingTheCaller() {
        recognizer.hears("0123456789");
        FakeCallerChannel caller = new FakeCallerChannel()
                .says(new SpokenAnswer.Unreadable())
                .says(SPEECH)
                .entry("0123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played()).containsExactly(ASK_CODE_VOICE, SWITCH_TO_KEYPAD);
    }

    @Test
    void givenADigitOtherThanOneOrTwoAfterTheReadBack_thenTheKeypadTakesOverWithThatDigitKept() {
        recognizer.hears("0123456780");
        FakeCallerChannel caller =
                new FakeCallerChannel().says(SPEECH).pressesAfterPrompt('0').entry("123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played())
                .contains(Prompt.CONFIRM_CODE_KEYS)
                .doesNotContain(ASK_CODE, SWITCH_TO_KEYPAD, NOT_UNDERSTOOD);
        assertThat(caller.played().stream().filter(p -> p == ASK_CODE_VOICE)).hasSize(1);
    }

    @Test
    void givenADigitPressedDuringTheReadBack_thenTheKeypadTakesOverWithThatDigitKept() {
        recognizer.hears("0123456780");
        FakeCallerChannel caller = new FakeCallerChannel()
                .says(SPEECH)
                .keyDuringPrompt(Prompt.DIGIT_2, '0')
                .entry("123456789");

        CodeRequest.Result result = ask(caller, recognizer);

        assertThat(result.code()).map(BhxhCode::digits).contains("0123456789");
        assertThat(result.method()).isEqualTo(InputMethod.KEYPAD);
        assertThat(caller.played()).doesNotContain(Prompt.DIGIT_3, Prompt.CONFIRM_CODE_KEYS, SWITCH_TO_KEYPAD);
        assertThat(caller.played().stream().filter(p -> p == ASK_CODE_VOICE)).hasSize(1);
    }

    @Test
    void givenNoRecogniserForTheLanguage_thenOnlyTheKeypadIsOffered() {
        FakeCallerChannel caller = new FakeCallerChannel().entry("0123456789");

        CodeRequest.Result result = ask(caller, SpeechRecognizer.NONE);

        assertThat(result.code()).isPresent();
        assertThat(caller.played()).containsExactly(ASK_CODE);
    }
}
