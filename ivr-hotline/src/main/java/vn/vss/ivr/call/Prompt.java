package vn.vss.ivr.call;

/**
 * Everything the assistant can say. Each prompt is one audio file per language, named by its key in
 * {@code prompts/<lang>/prompts.properties}. Codes and passwords are spoken digit by digit from the
 * {@code DIGIT_*} clips, so no audio file ever holds a password.
 */
public enum Prompt {
    WELCOME("welcome"),
    ASK_CODE("ask-code"),
    ASK_CODE_VOICE("ask-code-voice"),
    CODE_INVALID("code-invalid"),
    NO_INPUT("no-input"),
    TOO_MANY_TRIES("too-many-tries"),
    PLEASE_WAIT("please-wait"),
    MISMATCH("mismatch"),
    OTHER_WAYS("other-ways"),
    PASSWORD_INTRO("password-intro"),
    PASSWORD_AGAIN("password-again"),
    PASSWORD_NOTICE("password-notice"),
    REPEAT_OFFER("repeat-offer"),
    UNAVAILABLE("unavailable"),
    CALL_BACK_PROMISE("callback-promise"),
    CALL_BACK_INTRO("callback-intro"),
    MAX_DURATION("max-duration"),
    RESTARTING("restarting"),
    CONFIRM_CODE_INTRO("confirm-code-intro"),
    CONFIRM_CODE_KEYS("confirm-code-keys"),
    NOT_UNDERSTOOD("not-understood"),
    TOO_NOISY("too-noisy"),
    SWITCH_TO_KEYPAD("switch-to-keypad"),
    GOODBYE("goodbye"),
    DIGIT_0("digit-0"),
    DIGIT_1("digit-1"),
    DIGIT_2("digit-2"),
    DIGIT_3("digit-3"),
    DIGIT_4("digit-4"),
    DIGIT_5("digit-5"),
    DIGIT_6("digit-6"),
    DIGIT_7("digit-7"),
    DIGIT_8("digit-8"),
    DIGIT_9("digit-9"),
    /** Silence between groups of digits; made by the app, not spoken. */
    PAUSE("pause"),
    /** A short silence between digits of one group; made by the app, not spoken. */
    GAP("gap");

    private final String key;

    Prompt(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** True for prompts rendered from text; false for the generated silence. */
    public boolean isSpoken() {
        return this != PAUSE && this != GAP;
    }

    public static Prompt digit(char digit) {
        if (digit < '0' || digit > '9') {
            throw new IllegalArgumentException("not a digit");
        }
        return values()[DIGIT_0.ordinal() + (digit - '0')];
    }
}
