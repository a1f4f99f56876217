package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills one charge line for each started minute of a call: minute 1 at answer, minute 2 when 60 s
 * have passed, and so on. A write that fails is tried again at the next tick or at hang-up; the
 * ledger's (call, minute) key makes a repeated write harmless.
 */
public final class ChargeMeter {
    private static final Logger log = LoggerFactory.getLogger(ChargeMeter.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final CallRef call;
    private final ChargeLedger ledger;
    private final CallMetrics metrics;
    private final Clock clock;
    private final long pricePerMinuteVnd;
    private final int maxMinutes;
    private Instant answeredAt;
    private int minutesCharged;
    private boolean stopped;

    public ChargeMeter(
            CallRef call,
            ChargeLedger ledger,
            CallMetrics metrics,
            Clock clock,
            long pricePerMinuteVnd,
            int maxMinutes) {
        this.call = call;
        this.maxMinutes = maxMinutes;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.pricePerMinuteVnd = pricePerMinuteVnd;
    }

    /** The call was answered: minute 1 starts now. */
    public synchronized Instant start() {
        answeredAt = clock.instant();
        chargeStartedMinutes(answeredAt);
        return answeredAt;
    }

    /** Called regularly while the call lasts, so each minute's line is written as it starts. */
    public synchronized void tick() {
        if (answeredAt != null && !stopped) {
            chargeStartedMinutes(clock.instant());
        }
    }

    /** The call has ended now: writes any missing line and returns the number of billed minutes. */
    public synchronized int stop() {
        return stop(clock.instant());
    }

    /**
     * The call ended at {@code endedAt}: writes any missing line and returns the number of billed
     * minutes. Minutes that begin after {@code endedAt} are not billed, however late this is called.
     */
    public synchronized int stop(Instant endedAt) {
        if (answeredAt == null) {
            stopped = true;
            return 0;
        }
        // A line the ticker has already written stays billed: the record must agree with the lines.
        int billed = stopped ? minutesCharged : Math.max(minutesCharged, startedMinutes(endedAt));
        stopped = true;
        writeUpTo(billed);
        return billed;
    }

    public synchronized boolean isRunning() {
        return answeredAt != null && !stopped;
    }

    public synchronized Instant answeredAt() {
        return answeredAt;
    }

    private void chargeStartedMinutes(Instant now) {
        writeUpTo(startedMinutes(now));
    }

    private int startedMinutes(Instant now) {
        long elapsedMillis = Math.max(0, Duration.between(answeredAt, now).toMillis());
        return Math.min(maxMinutes, (int) (elapsedMillis / MINUTE.toMillis()) + 1);
    }

    private void writeUpTo(int minutes) {
        while (minutesCharged < minutes) {
            int minute = minutesCharged + 1;
            try {
                ledger.chargeMinute(call, minute, pricePerMinuteVnd, answeredAt.plus(MINUTE.multipliedBy(minute - 1)));
            } catch (RuntimeException e) {
                log.error("charge line for minute {} not written yet, will retry: {}", minute, e.toString());
                return;
            }
            minutesCharged = minute;
            metrics.minuteCharged(pricePerMinuteVnd);
        }
    }
}
