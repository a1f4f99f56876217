package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.FakeCallerChannel;
import vn.vss.ivr.support.MutableClock;

/** Every wait for the caller ends at the call's deadline, not only the steps between them. */
class DeadlineChannelTest {
    private static final Duration MAXIMUM = Duration.ofMinutes(10);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));
    private final FakeCallerChannel caller = new FakeCallerChannel();
    private final RestartNotice restart = new RestartNotice();
    private final DeadlineChannel channel = new DeadlineChannel(caller, clock, MAXIMUM, restart);

    @Test
    void givenARestartAnnounced_thenTheNextStepEndsTheCallButItsGoodbyeStillPlays() {
        channel.answer();
        channel.play(Prompt.WELCOME);

        restart.announce();

        assertThatThrownBy(() -> channel.play(Prompt.ASK_CODE)).isInstanceOf(ServiceRestartingException.class);
        assertThatThrownBy(() -> channel.waitForKey(Duration.ofSeconds(2)))
                .isInstanceOf(ServiceRestartingException.class);
        channel.playRegardless(Prompt.RESTARTING);
        assertThat(caller.played()).containsExactly(Prompt.WELCOME, Prompt.RESTARTING);
    }

    @Test
    void givenTwoSecondsLeft_thenAKeyEntryMayLastTwoSecondsInAllAndEachPauseNoLonger() {
        channel.answer();
        clock.advance(MAXIMUM.minusSeconds(2));
        caller.entry("0123");

        channel.collectKeys(Prompt.ASK_CODE, Duration.ofSeconds(5), CallSettings.MOST_KEYS_PER_ENTRY);

        assertThat(caller.entryLimits()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void givenTimeEnoughLeft_thenTheEntryKeepsItsOwnLimitsAndIsBoundedByTheDeadline() {
        channel.answer();
        clock.advance(Duration.ofMinutes(1));
        caller.entry("0123456789");

        channel.collectKeys(Prompt.ASK_CODE, Duration.ofSeconds(5), CallSettings.MOST_KEYS_PER_ENTRY);

        assertThat(caller.entryLimits()).containsExactly(Duration.ofMinutes(9));
    }

    @Test
    void givenOneSecondLeft_thenAWaitForAKeyLastsOneSecond() {
        channel.answer();
        clock.advance(MAXIMUM.minusSeconds(1));

        channel.waitForKey(Duration.ofSeconds(4));

        assertThat(caller.keyWaits()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void givenTheDeadlineHasPassed_thenNoFurtherWaitBegins() {
        channel.answer();
        clock.advance(MAXIMUM);

        assertThatThrownBy(() -> channel.waitForKey(Duration.ofSeconds(4)))
                .isInstanceOf(MaxDurationReachedException.class);
        assertThat(caller.keyWaits()).isEmpty();
    }

    @Test
    void beforeTheAnswer_thenThereIsNoDeadlineYet() {
        channel.waitForKey(Duration.ofSeconds(4));

        assertThat(caller.keyWaits()).containsExactly(Duration.ofSeconds(4));
    }
}
