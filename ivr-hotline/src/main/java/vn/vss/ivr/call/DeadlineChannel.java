package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The caller's channel with a deadline: once the call has lasted its maximum, the next thing the
 * assistant tries to do raises {@link MaxDurationReachedException}. Each command that waits for the
 * caller (a key entry, a wait for a key, a recording) is also given no more time than the call has
 * left, so the wait itself ends at the deadline; only a prompt already playing may finish. Once the
 * instance announces a restart, the next thing tried raises {@link ServiceRestartingException}.
 */
final class DeadlineChannel implements CallerChannel {
    private final CallerChannel channel;
    private final Clock clock;
    private final Duration maximum;
    private final RestartNotice restart;
    private Instant deadline;

    DeadlineChannel(CallerChannel channel, Clock clock, Duration maximum, RestartNotice restart) {
        this.channel = channel;
        this.clock = clock;
        this.maximum = maximum;
        this.restart = restart;
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
        Optional<Duration> left = timeLeft();
        if (left.isEmpty()) {
            return channel.collectKeys(prompt, perKeyTimeout, maxKeys);
        }
        return channel.collectKeysWithin(prompt, atMost(perKeyTimeout, left), maxKeys, left.get());
    }

    @Override
    public KeyEntry collectKeysWithin(Prompt prompt, Duration perKeyTimeout, int maxKeys, Duration within) {
        Optional<Duration> left = timeLeft();
        return channel.collectKeysWithin(prompt, atMost(perKeyTimeout, left), maxKeys, atMost(within, left));
    }

    @Override
    public SpokenAnswer recordAnswer(Duration maxLength, Duration silence, String keys) {
        Optional<Duration> left = timeLeft();
        return channel.recordAnswer(atMost(maxLength, left), silence, keys);
    }

    @Override
    public void discardRecordings() {
        channel.discardRecordings();
    }

    @Override
    public Optional<Character> waitForKey(Duration timeout) {
        Optional<Duration> left = timeLeft();
        return channel.waitForKey(atMost(timeout, left));
    }

    @Override
    public void hangUp() {
        channel.hangUp();
    }

    private void check() {
        timeLeft();
    }

    /**
     * The time until the deadline; empty before the call is answered (no deadline yet).
     *
     * @throws MaxDurationReachedException when the deadline has passed
     * @throws ServiceRestartingException when the instance has announced a restart
     */
    private Optional<Duration> timeLeft() {
        if (restart.announced()) {
            throw new ServiceRestartingException();
        }
        if (deadline == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new MaxDurationReachedException();
        }
        return Optional.of(left);
    }

    private static Duration atMost(Duration limit, Optional<Duration> left) {
        return left.filter(l -> l.compareTo(limit) < 0).orElse(limit);
    }
}
