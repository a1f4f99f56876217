package vn.vss.ivr.adapter.smpp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.NoticeOutbox;
import vn.vss.ivr.call.ResetNotice;

/**
 * What the sender does with each answer of the SMSC: the notice is marked sent, put back for later
 * (with a back-off, or after a pause of all sending when the SMSC throttles), failed, or in doubt.
 */
final class SmscAnswers {
    private static final Logger log = LoggerFactory.getLogger(SmscAnswers.class);

    /** A passing SMSC error is tried this many times in all, then the notice fails. */
    static final int MOST_ATTEMPTS = 8;

    /** Well inside the time after which another instance takes an unmarked claim as abandoned. */
    private static final Duration MARK_FOR_AT_MOST = Duration.ofSeconds(30);

    private final NoticeOutbox outbox;
    private final SmppSettings settings;
    private final String instance;
    private final Clock clock;
    private final SmsNoticeMetrics metrics;
    private final AtomicInteger throttledInARow = new AtomicInteger();
    private volatile Instant pausedUntil = Instant.EPOCH;

    SmscAnswers(NoticeOutbox outbox, SmppSettings settings, String instance, Clock clock, SmsNoticeMetrics metrics) {
        this.outbox = outbox;
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Until when the SMSC asked us to stop sending (throttling). */
    Instant pausedUntil() {
        return pausedUntil;
    }

    /** A notice claimed but never written goes back as it was: it is not in doubt. */
    void putBack(ResetNotice notice, String why) {
        mark(notice, () -> outbox.retryLater(notice.id(), instance, clock.instant(), why, false));
    }

    /** Writes on the notice's row what became of its submit_sm, and counts it. */
    void record(ResetNotice notice, int attempt, Submission result) {
        Instant now = clock.instant();
        if (result instanceof Submission.Accepted accepted) {
            throttledInARow.set(0);
            metrics.sent();
            log.info("SMS notice {} to {} accepted by the SMSC", notice.id(), notice.maskedPhone());
            mark(notice, () -> outbox.markSent(notice.id(), instance, accepted.messageId(), now));
        } else if (result instanceof Submission.Refused refused) {
            refused(notice, attempt, refused.commandStatus(), now);
        } else if (result instanceof Submission.NotSent notSent) {
            metrics.retried("smsc_unavailable");
            mark(notice, () -> outbox.retryLater(notice.id(), instance, now, notSent.reason(), false));
        } else if (result instanceof Submission.Invalid invalid) {
            metrics.failed();
            log.error("SMS notice {} could not be built: {}", notice.id(), invalid.reason());
            mark(notice, () -> outbox.markFailed(notice.id(), instance, "could not be built: " + invalid.reason()));
        } else if (result instanceof Submission.Unanswered unanswered) {
            metrics.inDoubt(1);
            log.warn(
                    "SMS notice {} is in doubt ({}): the SMSC may have it, so it is not sent again",
                    notice.id(),
                    unanswered.reason());
            mark(notice, () -> outbox.markInDoubt(notice.id(), instance, unanswered.reason()));
        }
    }

    /**
     * Writes what the SMSC answered, trying again for a while if the database is away: a row left
     * claimed would later be swept into doubt although its answer was known.
     */
    private void mark(ResetNotice notice, Runnable write) {
        long deadline = System.nanoTime() + MARK_FOR_AT_MOST.toNanos();
        for (int tries = 1; ; tries++) {
            try {
                write.run();
                if (tries > 1) {
                    log.info("SMS notice {} marked once the database answered again ({} tries)", notice.id(), tries);
                }
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    log.error(
                            "SMS notice {} could not be marked after the SMSC answered ({}): it will show as in doubt",
                            notice.id(),
                            e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    log.error("SMS notice {} was not marked (stopping): it will show as in doubt", notice.id());
                    return;
                }
            }
        }
    }

    private void refused(ResetNotice notice, int attempts, int status, Instant now) {
        String why = SmscRefusal.name(status);
        switch (SmscRefusal.of(status)) {
            case THROTTLED -> {
                Duration pause = min(
                        settings.throttledPause().multipliedBy(1L << Math.min(10, throttledInARow.getAndIncrement())),
                        settings.retryAtMost());
                pausedUntil = now.plus(pause);
                metrics.retried("throttled");
                mark(notice, () -> outbox.retryLater(notice.id(), instance, now.plus(pause), why, false));
            }
            case TEMPORARY -> {
                if (attempts >= MOST_ATTEMPTS) {
                    metrics.failed();
                    mark(
                            notice,
                            () -> outbox.markFailed(notice.id(), instance, why + " after " + attempts + " attempts"));
                    log.error("SMS notice {} failed after {} attempts: {}", notice.id(), attempts, why);
                } else {
                    metrics.retried("smsc_error");
                    mark(
                            notice,
                            () -> outbox.retryLater(notice.id(), instance, now.plus(backOff(attempts)), why, true));
                }
            }
            case PERMANENT -> {
                metrics.failed();
                mark(notice, () -> outbox.markFailed(notice.id(), instance, why));
                log.error("SMS notice {} to {} refused by the SMSC: {}", notice.id(), notice.maskedPhone(), why);
            }
        }
    }

    Duration backOff(int attempts) {
        return min(settings.retryAfter().multipliedBy(1L << Math.min(20, attempts - 1)), settings.retryAtMost());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
