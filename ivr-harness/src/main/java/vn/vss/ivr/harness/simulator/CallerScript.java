package vn.vss.ivr.harness.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a simulated caller does, in order: each action answers the next moment the assistant
 * listens (a key entry, a wait for a key, or a prompt that keys may interrupt).
 *
 * <pre>
 * CallerScript.from("0912345678").keys("0123456789#").silence().hangUp()
 * </pre>
 */
public final class CallerScript {
    private final List<String> parameters = new java.util.ArrayList<>();
    /** One thing the caller does when the assistant next listens. */
    public sealed interface Action permits Keys, Silence, HangUp, Speech {}

    /**
     * The caller speaks: this 8 kHz 16-bit mono WAV is what Asterisk records, after a pause of
     * {@code pauseBefore} (line audio only) from the moment the recording starts.
     */
    public record Speech(java.nio.file.Path audio, Duration pauseBefore) implements Action {
        public Speech(java.nio.file.Path audio) {
            this(audio, Duration.ZERO);
        }
    }

    /** Keys pressed; {@code duringPrompt} means pressed while the prompt is still playing. */
    public record Keys(String keys, boolean duringPrompt, String duringPromptNamed) implements Action {
        public Keys(String keys, boolean duringPrompt) {
            this(keys, duringPrompt, null);
        }

        /** True when these keys interrupt the prompt of this name (a file name without directory). */
        boolean interrupt(String promptName) {
            return duringPrompt && (duringPromptNamed == null || duringPromptNamed.equals(promptName));
        }
    }

    /** Nothing: the caller stays silent until the assistant's timeout. */
    public record Silence() implements Action {}

    /** The caller hangs up while the assistant listens. */
    public record HangUp() implements Action {}

    private final String callerId;
    private final List<Action> actions = new ArrayList<>();
    private String language = "vi";
    private String uniqueId;
    private Integer hangUpAtCommand;
    private String script = "vssid-reset";
    private String answered;
    private String ended;
    private boolean deadChannel;

    private CallerScript(String callerId) {
        this.callerId = callerId;
    }

    /** A call from this caller ID, sent to the app exactly as given (it may be garbage on purpose). */
    public static CallerScript from(String callerId) {
        return new CallerScript(callerId);
    }

    public CallerScript keys(String keys) {
        actions.add(new Keys(keys, false));
        return this;
    }

    /** Keys pressed while the prompt of this name plays (earlier prompts play out), interrupting it. */
    public CallerScript keysDuringPrompt(String promptName, String keys) {
        actions.add(new Keys(keys, true, promptName));
        return this;
    }

    /** Keys pressed while the prompt is still playing, interrupting it where it allows. */
    public CallerScript keysDuringPrompt(String keys) {
        actions.add(new Keys(keys, true));
        return this;
    }

    /** The caller says something when asked to speak; the audio is what RECORD FILE captures. */
    public CallerScript says(java.nio.file.Path audio) {
        actions.add(new Speech(audio));
        return this;
    }

    /**
     * The caller says nothing for {@code pause}, then says this. Asterisk counts silence from the
     * start of the recording: a pause as long as the silence that ends an answer ends the recording
     * before the caller speaks, and the words go unheard.
     */
    public CallerScript pausesThenSays(Duration pause, java.nio.file.Path audio) {
        actions.add(new Speech(audio, pause));
        return this;
    }

    public CallerScript silence() {
        actions.add(new Silence());
        return this;
    }

    public CallerScript hangUp() {
        actions.add(new HangUp());
        return this;
    }

    /** Hangs up while the app's command number {@code n} (1 = the first after the environment) runs. */
    public CallerScript hangUpAtCommand(int n) {
        this.hangUpAtCommand = n;
        return this;
    }

    public CallerScript language(String language) {
        this.language = language;
        return this;
    }

    public CallerScript uniqueId(String uniqueId) {
        this.uniqueId = uniqueId;
        return this;
    }

    /**
     * One more parameter of the AGI URL, sent as given: {@code trunk} as the dialplan names the
     * entry trunk, {@code request} for the call-back leg.
     */
    public CallerScript parameter(String name, String value) {
        this.parameters.add(name + "=" + value);
        return this;
    }

    public List<String> parameters() {
        return List.copyOf(parameters);
    }

    /** The AGI script name to request, for tests of unknown scripts. */
    public CallerScript script(String script) {
        this.script = script;
        return this;
    }

    /**
     * The {@code answered} parameter of the AGI URL, sent as given (it may be garbage on purpose):
     * when Asterisk answered the caller, in epoch milliseconds.
     */
    public CallerScript answered(String value) {
        this.answered = value;
        return this;
    }

    /**
     * The {@code ended} parameter the dialplan's hang-up handler sends: {@code unavailable} when the
     * caller heard the menu's "unavailable" because the application could not be reached.
     */
    public CallerScript ended(String value) {
        this.ended = value;
        return this;
    }

    public Optional<String> ended() {
        return Optional.ofNullable(ended);
    }

    /** The answer time, {@code before} the call reaches the app, as the dialplan sends it. */
    public CallerScript answeredBefore(Duration before) {
        return answered(Long.toString(System.currentTimeMillis() - before.toMillis()));
    }

    /**
     * The caller has already hung up when the app is called, as for the dialplan's hang-up handler
     * (DeadAGI): the environment is sent, then channel commands answer 511.
     */
    public CallerScript onDeadChannel() {
        this.deadChannel = true;
        return this;
    }

    public Optional<String> answered() {
        return Optional.ofNullable(answered);
    }

    public boolean deadChannel() {
        return deadChannel;
    }

    public String callerId() {
        return callerId;
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }

    public String language() {
        return language;
    }

    public Optional<String> uniqueId() {
        return Optional.ofNullable(uniqueId);
    }

    public Optional<Integer> hangUpAtCommandNumber() {
        return Optional.ofNullable(hangUpAtCommand);
    }

    public String script() {
        return script;
    }
}
