package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills a call as carriers do: its length from answer to hang-up, to the millisecond, rounded up to
 * whole minutes, and at least one minute once answered. So 0 s to 60.000 s is 1 minute, 60.001 s to
 * 120.000 s is 2, and so on. One charge line is written as each billed minute becomes due: minute 1
 * at answer, minute n as soon as the call goes past n - 1 whole minutes (minute 2 strictly after
 * 60.000 s), so the lines always agree with the rounding. A write that fails is tried again at the
 * next tick or at hang-up; the ledger's (call, minute) key makes a repeated write harmless.
 */
public final class ChargeMeter {
    private static final Logger log = LoggerFactory.getLogger(ChargeMeter.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long MINUTE_MILLIS = MINUTE.toMillis();

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
        return start(clock.instant());
    }

    /**
     * The call was answered at {@code answeredAt} (Asterisk answers before the menu, so this may lie
     * in the past): minute 1 starts then, and every minute already due is charged at once.
     */
    public synchronized Instant start(Instant answeredAt) {
        this.answeredAt = answeredAt;
        chargeStartedMinutes(clock.instant());
        return answeredAt;
    }

    /**
     * Minutes billed for a call of this length: whole minutes rounded up, at least 1 (the call was
     * answered). Milliseconds count, so 60.000 s is 1 minute and 60.001 s is 2.
     */
    public static long billedMinutes(Duration length) {
        long millis = Math.max(0, length.toMillis());
        return Math.max(1, (millis + MINUTE_MILLIS - 1) / MINUTE_MILLIS);
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

    /** The minutes due by {@code now}: the billed minutes of a call that would end now, within the cap. */
    private int startedMinutes(Instant now) {
        return (int) Math.min(maxMinutes, billedMinutes(Duration.between(answeredAt, now)));
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
