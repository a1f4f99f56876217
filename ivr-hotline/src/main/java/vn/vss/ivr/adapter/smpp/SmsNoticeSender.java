package vn.vss.ivr.adapter.smpp;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.NoticeOutbox;

/**
 * Sends the outbox's reset notices to the SMSC, each at most once.
 *
 * <p>A notice is claimed in a committed transaction before its submit_sm is written, and marked
 * after the answer: sent (with the SMSC's message id), put back with a back-off (SMSC unreachable,
 * throttling, a passing error), failed (refused for good), or in doubt when no answer came. A notice
 * still claimed after its sender died is in doubt too: the SMSC may have it, so it is never sent
 * again by itself, and the operator sees it (metric, alert, log) and decides. A duplicate security
 * notice would teach citizens to ignore them; a silent loss would hide a reset they did not ask for.
 *
 * <p>At most {@code window} submit_sm wait for their answer at once, and at most
 * {@code maxPerSecond} leave each second, as the carrier's account allows.
 */
public final class SmsNoticeSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsNoticeSender.class);

    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    private final NoticeOutbox outbox;
    private final SmppSettings settings;
    private final String instance;
    private final Clock clock;
    private final SmsNoticeMetrics metrics;
    private final SmscLink link;
    private final Semaphore window;
    private final ExecutorService submitters;
    private final Thread loop;
    private final SmscAnswers answers;
    private volatile boolean running = true;
    private boolean outboxUnreachableLogged;
    private Instant nextSlot = Instant.EPOCH;
    private Instant nextBacklog = Instant.EPOCH;
    private Instant nextSweep = Instant.EPOCH;
    private Duration rebindWait;

    private SmsNoticeSender(
            NoticeOutbox outbox, SmppSettings settings, String instance, MeterRegistry registry, Clock clock) {
        this.outbox = outbox;
        this.settings = settings;
        this.instance = instance;
        this.clock = clock;
        this.metrics = new SmsNoticeMetrics(registry);
        this.link = new SmscLink(settings, new DeliveryReceipts(outbox, metrics, clock));
        this.answers = new SmscAnswers(outbox, settings, instance, clock, metrics);
        this.window = new Semaphore(settings.window());
        this.rebindWait = settings.rebindAfter();
        AtomicInteger threads = new AtomicInteger();
        this.submitters = Executors.newFixedThreadPool(settings.window(), runnable -> {
            Thread thread = new Thread(runnable, "sms-submit-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.loop = new Thread(this::run, "sms-sender");
        this.loop.setDaemon(true);
    }

    /**
     * Starts sending. Notices this instance left claimed when it last stopped are marked in doubt
     * first (the loop does it, so a database that is down does not hold up start-up).
     */
    public static SmsNoticeSender start(
            NoticeOutbox outbox, SmppSettings settings, String instance, MeterRegistry registry, Clock clock) {
        SmsNoticeSender sender = new SmsNoticeSender(outbox, settings, instance, registry, clock);
        sender.loop.start();
        return sender;
    }

    private void run() {
        boolean recovered = false;
        while (running) {
            try {
                if (!recovered) {
                    recoverFromAnEarlierStop();
                    recovered = true;
                }
                chores();
                if (!bindOrWait()) {
                    continue;
                }
                sendWhatIsDue();
                outboxUnreachableLogged = false;
            } catch (RuntimeException e) {
                if (!outboxUnreachableLogged) {
                    log.warn("the SMS sender cannot reach the outbox ({}); trying again every second", e.getMessage());
                    outboxUnreachableLogged = true;
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private void recoverFromAnEarlierStop() {
        int inDoubt = outbox.inDoubtAfterRestart(instance);
        if (inDoubt > 0) {
            metrics.inDoubt(inDoubt);
            log.warn(
                    "{} SMS notice(s) were being submitted when this instance stopped: marked in doubt, not sent again"
                            + " (the SMSC may have them); see README 'SMS notices'",
                    inDoubt);
        }
    }

    /** The backlog gauges, and notices whose sender died (another instance, or this one's lost answers). */
    private void chores() {
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
            nextSweep = now.plus(SWEEP_EVERY);
            int abandoned = outbox.inDoubtWhenAbandoned(now.minus(settings.abandonedAfter()));
            if (abandoned > 0) {
                metrics.inDoubt(abandoned);
                log.warn(
                        "{} SMS notice(s) claimed more than {} s ago were never answered: marked in doubt",
                        abandoned,
                        settings.abandonedAfter().toSeconds());
            }
        }
        if (!now.isBefore(nextBacklog)) {
            nextBacklog = now.plus(BACKLOG_EVERY);
            metrics.backlog(outbox.backlog(now));
        }
    }

    private boolean bindOrWait() {
        boolean bound = link.bound();
        metrics.bound(bound);
        if (bound) {
            rebindWait = settings.rebindAfter();
            return true;
        }
        sleep(rebindWait);
        rebindWait = min(rebindWait.multipliedBy(2), settings.rebindAtMost());
        return false;
    }

    /** Claims only as many notices as the window has room for, so a crash leaves few in doubt. */
    private void sendWhatIsDue() {
        Instant paused = answers.pausedUntil();
        if (clock.instant().isBefore(paused)) {
            sleep(Duration.between(clock.instant(), paused));
            return;
        }
        int room = awaitRoom();
        if (room == 0) {
            return;
        }
        List<NoticeOutbox.Claim> due;
        try {
            due = outbox.claim(room, instance, clock.instant());
        } catch (RuntimeException e) {
            window.release(room);
            throw e;
        }
        if (due.isEmpty()) {
            window.release(room);
            sleep(settings.idlePoll());
            return;
        }
        window.release(room - due.size());
        for (NoticeOutbox.Claim claim : due) {
            awaitSlot();
            if (!running) {
                // Stopping: a notice claimed but not yet written goes back as it was, not into doubt.
                window.release();
                answers.putBack(claim.notice(), "the sender stopped before sending it");
                continue;
            }
            submitters.execute(() -> {
                try {
                    answers.record(claim.notice(), claim.attempt(), link.submit(claim.notice()));
                } finally {
                    window.release();
                }
            });
        }
    }

    /** Takes every free place in the window, waiting a little for one if none is free. */
    private int awaitRoom() {
        try {
            if (!window.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return 0;
        }
        return 1 + window.drainPermits();
    }

    /** Spaces submit_sm at least 1/maxPerSecond apart. */
    private void awaitSlot() {
        Instant now = clock.instant();
        if (now.isBefore(nextSlot)) {
            sleep(Duration.between(now, nextSlot));
            now = nextSlot;
        }
        nextSlot = now.plus(Duration.ofNanos(1_000_000_000L / settings.maxPerSecond()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops claiming, lets the submits in flight be answered and marked, then unbinds. */
    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        submitters.shutdown();
        try {
            submitters.awaitTermination(settings.responseTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
    }
}
