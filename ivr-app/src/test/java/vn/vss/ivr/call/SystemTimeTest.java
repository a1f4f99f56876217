package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.MutableClock;

class SystemTimeTest {
    private static final Instant START = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void givenElapsedTime_thenTheCallsClockMovesByExactlyThatMuch() {
        AtomicLong nanos = new AtomicLong(7_000_000_000L);
        Clock call = new SystemTime.Steady(START, nanos::get);

        nanos.addAndGet(Duration.ofSeconds(61).toNanos());

        assertThat(call.instant()).isEqualTo(START.plusSeconds(61));
    }

    @Test
    void givenTheSystemTime_thenEachCallGetsItsOwnSteadyClockStartingNow() {
        Instant before = Instant.now();
        Clock call = SystemTime.forOneCall(SystemTime.UTC);
        Instant after = Instant.now();

        assertThat(call).isInstanceOf(SystemTime.Steady.class);
        assertThat(call.instant()).isBetween(before, after.plusSeconds(1));
        assertThat(SystemTime.forOneCall(SystemTime.UTC)).isNotSameAs(call);
    }

    @Test
    void givenAClockATestMovesByHand_thenTheCallUsesItAsItIs() {
        MutableClock clock = new MutableClock(START);

        assertThat(SystemTime.forOneCall(clock)).isSameAs(clock);
    }
}
