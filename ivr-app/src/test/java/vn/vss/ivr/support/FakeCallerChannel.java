package vn.vss.ivr.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import vn.vss.ivr.call.CallerChannel;
import vn.vss.ivr.call.CallerHungUpException;
import vn.vss.ivr.call.KeyEntry;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.call.SpokenAnswer;

/** A caller in memory: answers key entries from a queue and can hang up after a number of prompts. */
public final class FakeCallerChannel implements CallerChannel {
    private final Deque<String> entries = new ArrayDeque<>();
    private final java.util.Map<Prompt, Deque<Character>> keysDuringPrompts = new java.util.EnumMap<>(Prompt.class);
    private final List<Prompt> played = new ArrayList<>();
    private final Deque<SpokenAnswer> spoken = new ArrayDeque<>();
    private final Deque<Character> waitedKeys = new ArrayDeque<>();
    private int recordingsDiscarded;
    private int hangUpAfterPrompts = Integer.MAX_VALUE;
    private boolean gone;
    private boolean answered;
    private Runnable onEachPrompt = () -> {};
    private final List<Duration> entryLimits = new ArrayList<>();
    private final List<Duration> keyWaits = new ArrayList<>();

    /** The next key entry (e.g. {@code "0123456789"}); an empty string is a time-out. */
    public FakeCallerChannel entry(String keys) {
        entries.add(keys);
        return this;
    }

    /** A key pressed during the next playing of {@code prompt}, if that prompt may be interrupted. */
    public FakeCallerChannel keyDuringPrompt(Prompt prompt, char key) {
        keysDuringPrompts.computeIfAbsent(prompt, p -> new ArrayDeque<>()).add(key);
        return this;
    }

    /** The next answer when asked to speak. */
    public FakeCallerChannel says(SpokenAnswer answer) {
        spoken.add(answer);
        return this;
    }

    /** The next key when the assistant waits for one (after a prompt that was not interrupted). */
    public FakeCallerChannel pressesAfterPrompt(char key) {
        waitedKeys.add(key);
        return this;
    }

    public int recordingsDiscarded() {
        return recordingsDiscarded;
    }

    public FakeCallerChannel hangUpAfterPrompts(int n) {
        hangUpAfterPrompts = n;
        return this;
    }

    public FakeCallerChannel onEachPrompt(Runnable action) {
        onEachPrompt = action;
        return this;
    }

    public List<Prompt> played() {
        return List.copyOf(played);
    }

    public boolean answered() {
        return answered;
    }

    /** The digits read after the n-th occurrence of {@code intro}. */
    public String digitsAfter(Prompt intro, int occurrence) {
        StringBuilder digits = new StringBuilder();
        int seen = 0;
        boolean reading = false;
        for (Prompt p : played) {
            if (reading) {
                if (p.key().startsWith("digit-")) {
                    digits.append(p.key().charAt(6));
                } else if (p != Prompt.PAUSE && p != Prompt.GAP) {
                    break;
                }
            } else if (p == intro && ++seen == occurrence) {
                reading = true;
            }
        }
        return digits.toString();
    }

    @Override
    public void answer() {
        check();
        answered = true;
    }

    @Override
    public void play(Prompt prompt) {
        check();
        if (played.size() >= hangUpAfterPrompts) {
            gone = true;
            throw new CallerHungUpException();
        }
        played.add(prompt);
        onEachPrompt.run();
    }

    @Override
    public Optional<Character> playUntilKey(Prompt prompt, String keys) {
        play(prompt);
        Deque<Character> pressed = keysDuringPrompts.getOrDefault(prompt, new ArrayDeque<>());
        Character key = pressed.peek();
        if (key != null && keys.indexOf(key) >= 0) {
            return Optional.of(pressed.pop());
        }
        return Optional.empty();
    }

    @Override
    public KeyEntry collectKeys(Prompt prompt, Duration perKeyTimeout, int maxKeys) {
        play(prompt);
        String keys = entries.isEmpty() ? "" : entries.pop();
        return new KeyEntry(keys, keys.isEmpty());
    }

    /** Each key entry's overall limit, in order (none for entries taken without one). */
    public List<Duration> entryLimits() {
        return List.copyOf(entryLimits);
    }

    /** Each wait for a key's time-out, in order. */
    public List<Duration> keyWaits() {
        return List.copyOf(keyWaits);
    }

    @Override
    public KeyEntry collectKeysWithin(Prompt prompt, Duration perKeyTimeout, int maxKeys, Duration within) {
        entryLimits.add(within);
        return collectKeys(prompt, perKeyTimeout, maxKeys);
    }

    @Override
    public Optional<Character> waitForKey(Duration timeout) {
        keyWaits.add(timeout);
        check();
        return Optional.ofNullable(waitedKeys.poll());
    }

    @Override
    public SpokenAnswer recordAnswer(Duration maxLength, Duration silence, String keys) {
        check();
        return spoken.isEmpty() ? new SpokenAnswer.Nothing() : spoken.pop();
    }

    @Override
    public void discardRecordings() {
        recordingsDiscarded++;
    }

    @Override
    public void hangUp() {
        gone = true;
    }

    private void check() {
        if (gone) {
            throw new CallerHungUpException();
        }
    }
}
