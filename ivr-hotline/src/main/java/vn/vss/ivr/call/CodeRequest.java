package vn.vss.ivr.call;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of the call: getting the 10-digit BHXH code. Where the recogniser takes the call's
 * language, the caller may say it (read back for confirmation: 1 = correct, 2 = say it again); a key
 * pressed at any point switches to the keypad, keeping that key (during the read-back, any key but 1
 * and 2); so does a line too noisy for speech, or a recogniser that cannot answer.
 * After the spoken tries, or without speech, the keypad: {@code #} ends an entry; anything but
 * exactly 10 digits is asked for again.
 */
final class CodeRequest {
    /** How the code was given and after how many tries; no code after every try is empty. */
    record Result(Optional<BhxhCode> code, InputMethod method, int tries) {}

    private static final Logger log = LoggerFactory.getLogger(CodeRequest.class);
    private static final String DIGIT_KEYS = "0123456789";
    /** After a read-back: 1 = correct, 2 = say it again. */
    private static final char CORRECT = '1';

    private static final char SAY_AGAIN = '2';
    private static final int MAX_KEYS_PER_ENTRY = CallSettings.MOST_KEYS_PER_ENTRY;

    private final CallerChannel caller;
    private final CallSettings settings;
    private final SpeechRecognizer recognizer;
    private final Language language;
    private InputMethod method = InputMethod.NONE;
    private int tries;

    CodeRequest(CallerChannel caller, CallSettings settings, SpeechRecognizer recognizer, Language language) {
        this.caller = caller;
        this.settings = settings;
        this.recognizer = recognizer;
        this.language = language;
    }

    Result ask(Optional<Character> keyDuringGreeting) {
        Optional<Character> firstKey = keyDuringGreeting;
        Prompt keypadPrompt = Prompt.ASK_CODE;
        if (firstKey.isEmpty() && recognizer.accepts(language)) {
            Spoken spoken = bySpeech();
            if (spoken.code().isPresent()) {
                return new Result(spoken.code(), InputMethod.SPEECH, tries);
            }
            firstKey = spoken.keyInstead();
            keypadPrompt = Prompt.SWITCH_TO_KEYPAD;
        }
        return new Result(byKeypad(firstKey, keypadPrompt), method, tries);
    }

    /** A code said and confirmed, or the key the caller pressed to switch to the keypad. */
    private record Spoken(Optional<BhxhCode> code, Optional<Character> keyInstead) {}

    private Spoken bySpeech() {
        for (int attempt = 1; attempt <= settings.speech().spokenTries(); attempt++) {
            tries++;
            Optional<Character> key = caller.playUntilKey(Prompt.ASK_CODE_VOICE, DIGIT_KEYS);
            if (key.isPresent()) {
                return new Spoken(Optional.empty(), key);
            }
            SpokenAnswer answer = caller.recordAnswer(
                    settings.speech().maxAnswer(), settings.speech().endOfSpeechSilence(), DIGIT_KEYS + "#");
            if (answer instanceof SpokenAnswer.Key pressed && pressed.key() != '#') {
                return new Spoken(Optional.empty(), Optional.of(pressed.key()));
            }
            Recognition recognition = recognize(answer);
            if (recognition.status() == Recognition.Status.TOO_NOISY) {
                // Asking again on the same line would fail the same way: straight to the keypad.
                caller.play(Prompt.TOO_NOISY);
                break;
            }
            if (recognition.status() == Recognition.Status.FAILED) {
                // Not the caller's doing (overload, time limit, breaker open, a recording out of reach)
                // and likely to happen again: no "we did not catch that", and no second recording.
                break;
            }
            Optional<BhxhCode> heard = recognition.status() == Recognition.Status.DIGITS
                    ? BhxhCode.parse(recognition.digits())
                    : Optional.empty();
            if (heard.isPresent()) {
                method = InputMethod.SPEECH;
                Optional<Character> reply = confirmation(heard.get());
                if (reply.isPresent() && reply.get() == CORRECT) {
                    return new Spoken(heard, Optional.empty());
                }
                if (reply.isPresent() && reply.get() != SAY_AGAIN && DIGIT_KEYS.indexOf(reply.get()) >= 0) {
                    // The caller has started keying the code in: keep that first digit.
                    return new Spoken(Optional.empty(), reply);
                }
            } else {
                caller.play(Prompt.NOT_UNDERSTOOD);
            }
        }
        return new Spoken(Optional.empty(), Optional.empty());
    }

    /** The recording is deleted as soon as it has been recognised: it holds the spoken code. */
    private Recognition recognize(SpokenAnswer answer) {
        if (answer instanceof SpokenAnswer.Unreadable) {
            return Recognition.failed();
        }
        if (!(answer instanceof SpokenAnswer.Speech speech)) {
            return Recognition.unclear();
        }
        try {
            Recognition recognition = recognizer.recognizeDigits(speech.recording(), language);
            log.info(
                    "speech recognised: {}, {} digit(s)",
                    recognition.status(),
                    recognition.digits().length());
            return recognition;
        } finally {
            caller.discardRecordings();
        }
    }

    /**
     * Reads the code back as 4-3-3 digits and returns the key the caller answered with, if any: 1
     * accepts, 2 asks again, another digit starts keypad entry. A key may come during the read-back.
     */
    private Optional<Character> confirmation(BhxhCode code) {
        caller.play(Prompt.CONFIRM_CODE_INTRO);
        Optional<Character> key = DigitReader.readUntilKey(caller, code.digits(), DIGIT_KEYS, 4, 3, 3);
        if (key.isEmpty()) {
            key = caller.playUntilKey(Prompt.CONFIRM_CODE_KEYS, DIGIT_KEYS);
        }
        if (key.isEmpty()) {
            key = caller.waitForKey(settings.speech().confirmKeyTimeout());
        }
        return key;
    }

    private Optional<BhxhCode> byKeypad(Optional<Character> keyAlreadyPressed, Prompt firstPrompt) {
        Optional<Character> firstKey = keyAlreadyPressed;
        Prompt prompt = firstPrompt;
        for (int attempt = 1; attempt <= settings.codeTries(); attempt++) {
            tries++;
            KeyEntry entry = firstKey.isPresent()
                    ? continueEntry(firstKey.get())
                    : caller.collectKeys(prompt, settings.perKeyTimeout(), MAX_KEYS_PER_ENTRY);
            if (!entry.isEmpty()) {
                method = InputMethod.KEYPAD;
            }
            Optional<BhxhCode> code = BhxhCode.parse(entry.keys());
            if (code.isPresent()) {
                return code;
            }
            firstKey = Optional.empty();
            prompt = Prompt.ASK_CODE;
            if (attempt < settings.codeTries()) {
                firstKey = caller.playUntilKey(entry.isEmpty() ? Prompt.NO_INPUT : Prompt.CODE_INVALID, DIGIT_KEYS);
            }
        }
        return Optional.empty();
    }

    /** The caller pressed a key during a prompt: keep it and collect the rest without a prompt. */
    private KeyEntry continueEntry(char firstKey) {
        KeyEntry rest = caller.collectKeys(Prompt.PAUSE, settings.perKeyTimeout(), MAX_KEYS_PER_ENTRY - 1);
        return new KeyEntry(firstKey + rest.keys(), rest.endedByTimeout());
    }
}
