package vn.vss.ivr.harness.speech;

import java.util.Arrays;
import java.util.List;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.audio.LineNoise;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.prompts.PromptCatalogue;
import vn.vss.ivr.prompts.PromptLibrary;

/**
 * How long the speech step takes for the caller, from the English prompts as the call plays them
 * (MaryTTS speech trimmed like the rendered prompts, the same gaps and pauses between digits):
 * the question, the caller speaking, the silence that ends the recording, the wait for the result,
 * the read-back with "press one or two", and the keypad when speech gives up.
 */
final class CallerTime {
    /** Between the end of "press one..." and the key. */
    private static final double KEY_REACTION_SECONDS = 1.0;
    /** Per key when typing a code, "#" included. */
    private static final double KEY_INTERVAL_SECONDS = 0.6;
    /** The call's read-back: a short gap between digits, a longer pause between the groups 4-3-3. */
    private static final double GAP_SECONDS = PromptLibrary.GAP.toMillis() / 1000.0;

    private static final double PAUSE_SECONDS = PromptLibrary.PAUSE.toMillis() / 1000.0;
    private static final List<Integer> PAUSE_BEFORE = List.of(4, 7);
    private static final double TRAIL_IN_RECORDING_SECONDS = 1.0;
    private static final List<String> ASK_GROUP = List.of(
            "Please say the first three digits of your code.",
            "Now say the next three digits.",
            "And the last four digits.");

    private final double endSilence;
    private double ask;
    private double askKeypad;
    private double intro;
    private double keys;
    private double notUnderstood;
    private double switchToKeypad;
    private double tooNoisy;
    private final double[] digit = new double[10];
    private final double[] askGroup = new double[ASK_GROUP.size()];

    /** How one caller's speech step went. */
    record Step(boolean bySpeech, double seconds) {}

    CallerTime(double endSilence) {
        this.endSilence = endSilence;
    }

    void measurePrompts(MaryTtsSpeechSynthesizer mary) {
        PromptCatalogue prompts = PromptCatalogue.load(Language.EN);
        ask = played(mary, prompts.text(Prompt.ASK_CODE_VOICE));
        askKeypad = played(mary, prompts.text(Prompt.ASK_CODE));
        intro = played(mary, prompts.text(Prompt.CONFIRM_CODE_INTRO));
        keys = played(mary, prompts.text(Prompt.CONFIRM_CODE_KEYS));
        notUnderstood = played(mary, prompts.text(Prompt.NOT_UNDERSTOOD));
        switchToKeypad = played(mary, prompts.text(Prompt.SWITCH_TO_KEYPAD));
        tooNoisy = played(mary, prompts.text(Prompt.TOO_NOISY));
        for (char c = '0'; c <= '9'; c++) {
            digit[c - '0'] = played(mary, prompts.text(Prompt.digit(c)));
        }
        for (int g = 0; g < ASK_GROUP.size(); g++) {
            askGroup[g] = played(mary, ASK_GROUP.get(g));
        }
    }

    double endSilence() {
        return endSilence;
    }

    double keypadOnly() {
        return askKeypad + keying();
    }

    String describe() {
        return String.format(
                "Caller time (prompt lengths as played): question %.1f s; read-back of a code %.1f s (digit clips"
                        + " %.2f s each on average, 'press one/two' %.1f s, %.1f s to press); not understood %.1f s;"
                        + " switch to keypad %.1f s + keying %.1f s",
                ask,
                readBack("0123456789"),
                Arrays.stream(digit).average().orElse(0),
                keys,
                KEY_REACTION_SECONDS,
                notUnderstood,
                switchToKeypad,
                keying());
    }

    /** The whole code in one utterance: up to two tries, then the keypad. */
    Step wholeCode(Decoded first, Decoded second) {
        return wholeCode(first, second, Double.NEGATIVE_INFINITY);
    }

    /**
     * As {@link #wholeCode(Decoded, Decoded)}, but a try whose line measures under {@code noisyLineDb}
     * is not decoded: "too much noise", and the keypad at once.
     */
    Step wholeCode(Decoded first, Decoded second, double noisyLineDb) {
        double time = 0;
        for (Decoded attempt : new Decoded[] {first, second}) {
            if (attempt == null) {
                break;
            }
            if (LineNoise.tooNoisy(attempt.lineSnrDb(), noisyLineDb)) {
                double heard = attempt.audioSeconds() - TRAIL_IN_RECORDING_SECONDS + endSilence;
                return new Step(false, time + ask + heard + tooNoisy + switchToKeypad + keying());
            }
            time += ask + attemptSeconds(attempt);
            if (attempt.exact()) {
                return new Step(true, time);
            }
        }
        return new Step(false, time + switchToKeypad + keying());
    }

    /** Three groups, each with up to two tries; a group that fails twice sends the caller to the keypad. */
    Step grouped(List<Decoded> firsts, List<Decoded> seconds) {
        double time = 0;
        for (int g = 0; g < firsts.size(); g++) {
            boolean done = false;
            for (Decoded attempt : new Decoded[] {firsts.get(g), seconds.get(g)}) {
                if (attempt == null) {
                    break;
                }
                time += askGroup[g] + attemptSeconds(attempt);
                if (attempt.exact()) {
                    done = true;
                    break;
                }
            }
            if (!done) {
                return new Step(false, time + switchToKeypad + keying());
            }
        }
        return new Step(true, time);
    }

    /**
     * Speaking, the silence that ends the recording, the wait for the result, then either the
     * read-back and a key, or "sorry, we did not catch that".
     */
    private double attemptSeconds(Decoded attempt) {
        double time = attempt.audioSeconds() - TRAIL_IN_RECORDING_SECONDS + endSilence + attempt.latencySeconds();
        return time + (attempt.readBack() ? readBack(attempt.recognition().digits()) : notUnderstood);
    }

    private double readBack(String digits) {
        double time = intro + keys + KEY_REACTION_SECONDS;
        for (int i = 0; i < digits.length(); i++) {
            time += digit[digits.charAt(i) - '0'];
            if (i > 0) {
                time += digits.length() == 10 && PAUSE_BEFORE.contains(i) ? PAUSE_SECONDS : GAP_SECONDS;
            }
        }
        return time;
    }

    private static double keying() {
        return 11 * KEY_INTERVAL_SECONDS;
    }

    /** A prompt's length as the call plays it (see {@link PromptLibrary#asPlayed}). */
    private static double played(MaryTtsSpeechSynthesizer mary, String text) {
        return seconds(PromptLibrary.asPlayed(mary.speak(text)));
    }

    private static double seconds(short[] samples) {
        return samples.length / (double) TelephoneLine.SAMPLE_RATE;
    }
}
