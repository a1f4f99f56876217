package vn.vss.ivr.call;

import java.time.Duration;
import java.util.Optional;

/**
 * The caller's end of the line: what the assistant can play and what the caller can press. Every
 * method throws {@link CallerHungUpException} once the caller has hung up.
 */
public interface CallerChannel {
    void answer();

    /** Plays a prompt to the end; keys pressed meanwhile are ignored. */
    void play(Prompt prompt);

    /** Plays a prompt that a key press interrupts; returns that key, so it is not lost. */
    Optional<Character> playUntilKey(Prompt prompt, String keys);

    /** Plays a prompt and collects keys until {@code #}, {@code maxKeys} keys or a pause of {@code perKeyTimeout}. */
    KeyEntry collectKeys(Prompt prompt, Duration perKeyTimeout, int maxKeys);

    /**
     * As {@link #collectKeys}, but the entry also ends, as a time-out with the keys so far, once
     * {@code within} has passed since it began (the prompt itself is played in full): a caller
     * pressing a key just before each pause runs out cannot stretch it past the call's deadline.
     */
    KeyEntry collectKeysWithin(Prompt prompt, Duration perKeyTimeout, int maxKeys, Duration within);

    /**
     * Records the caller's answer until {@code silence} of silence or {@code maxLength}; a key in
     * {@code keys} stops the recording and is returned instead.
     */
    SpokenAnswer recordAnswer(Duration maxLength, Duration silence, String keys);

    /** Deletes this call's recordings: they hold a spoken code and must not outlive recognition. */
    void discardRecordings();

    /** Waits for one key press. */
    Optional<Character> waitForKey(Duration timeout);

    /** Ends the call from our side; harmless when the caller has already gone. */
    void hangUp();
}
