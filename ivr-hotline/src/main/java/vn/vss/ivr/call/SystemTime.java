package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The system's time, as calls use it. The date and time of day come from the system clock, but
 * within a call time moves only as it really passes: the system clock may be stepped (NTP after a
 * start with a wrong clock, an operator's correction), and a step of an hour must neither bill a
 * call in progress ten more minutes nor end it at once as "too long".
 */
public final class SystemTime extends Clock {
    public static final SystemTime UTC = new SystemTime();

    private SystemTime() {}

    @Override
    public Instant instant() {
        return Instant.now();
    }

    /** A clock for one call: it starts at the system time now and then moves with elapsed time only. */
    public Clock forOneCall() {
        return new Steady(Instant.now(), System::nanoTime);
    }

    /** The clock a call should use: its own steady one on the system's time, a test's clock as it is. */
    static Clock forOneCall(Clock shared) {
        return shared instanceof SystemTime system ? system.forOneCall() : shared;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** Starts at a given instant and moves with a monotonic nanosecond count. */
    static final class Steady extends Clock {
        private final Instant start;
        private final long startNanos;
        private final LongSupplier nanos;

        Steady(Instant start, LongSupplier nanos) {
            this.start = start;
            this.nanos = nanos;
            this.startNanos = nanos.getAsLong();
        }

        @Override
        public Instant instant() {
            return start.plus(Duration.ofNanos(nanos.getAsLong() - startNanos));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
