package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The caller's channel with a deadline: once the call has lasted its maximum, the next thing the
 * assistant tries to do raises {@link MaxDurationReachedException}. Every channel command has its own
 * time limit, so a call never overruns by more than one step.
 */
final class DeadlineChannel implements CallerChannel {
    private final CallerChannel channel;
    private final Clock clock;
    private final Duration maximum;
    private Instant deadline;

    DeadlineChannel(CallerChannel channel, Clock clock, Duration maximum) {
        this.channel = channel;
        this.clock = clock;
        this.maximum = maximum;
    }

    /** Plays a prompt even past the deadline: the goodbye after the deadline itself. */
    void playRegardless(Prompt prompt) {
        channel.play(prompt);
    }

    @Override
    public void answer() {
        channel.answer();
        deadline = clock.instant().plus(maximum);
    }

    /** The call was answered at {@code answeredAt} (Asterisk may have answered before the app): its maximum counts from then. */
    void countFrom(Instant answeredAt) {
        deadline = answeredAt.plus(maximum);
    }

    @Override
    public void play(Prompt prompt) {
        check();
        channel.play(prompt);
    }

    @Override
    public Optional<Character> playUntilKey(Prompt prompt, String keys) {
        check();
        return channel.playUntilKey(prompt, keys);
    }

    @Override
    public KeyEntry collectKeys(Prompt prompt, Duration perKeyTimeout, int maxKeys) {
        check();
        return channel.collectKeys(prompt, perKeyTimeout, maxKeys);
    }

    @Override
    public SpokenAnswer recordAnswer(Duration maxLength, Duration silence, String keys) {
        check();
        return channel.recordAnswer(maxLength, silence, keys);
    }

    @Override
    public void discardRecordings() {
        channel.discardRecordings();
    }

    @Override
    public Optional<Character> waitForKey(Duration timeout) {
        check();
        return channel.waitForKey(timeout);
    }

    @Override
    public void hangUp() {
        channel.hangUp();
    }

    private void check() {
        if (deadline != null && !clock.instant().isBefore(deadline)) {
            throw new MaxDurationReachedException();
        }
    }
}
