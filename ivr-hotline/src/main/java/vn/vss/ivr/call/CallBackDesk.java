package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call-back side of verification: which calls are called back, the promise made to a caller,
 * the call placed once that caller has hung up (the citizen's line must be free to ring), and the
 * leg that answers.
 */
public final class CallBackDesk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallBackDesk.class);

    /** Caller-ID verification: nobody is called back. */
    public static final CallBackDesk NONE = new CallBackDesk(
            VerificationMode.CALLER_ID,
            Set.of(),
            null,
            null,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Clock.systemUTC());

    private final VerificationMode mode;
    private final Set<String> untrustedTrunks;
    private final CallBackRequests requests;
    private final CallBackDialer dialer;
    private final Duration delay;
    private final Duration freshness;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Told each call-back's result (the metrics); nothing by default. */
    private volatile Consumer<CallBackResult> resultListener = result -> {};

    /**
     * @param delay wait between the caller's hang-up and the call-back
     * @param freshness how long after the request its leg may still claim it (delay, ring time and
     *     a margin)
     */
    public CallBackDesk(
            VerificationMode mode,
            Set<String> untrustedTrunks,
            CallBackRequests requests,
            CallBackDialer dialer,
            Duration delay,
            Duration freshness,
            Clock clock) {
        this.mode = mode;
        this.untrustedTrunks = Set.copyOf(untrustedTrunks);
        this.requests = requests;
        this.dialer = dialer;
        this.delay = delay;
        this.freshness = freshness;
        this.clock = clock;
        this.scheduler = mode == VerificationMode.CALLER_ID
                ? null
                : Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "call-back");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public VerificationMode mode() {
        return mode;
    }

    /** Tells {@code listener} what became of each call-back placed from now on. */
    public CallBackDesk tellingResultsTo(Consumer<CallBackResult> listener) {
        this.resultListener = listener;
        return this;
    }

    /** Whether a call from this trunk (as the dialplan named it) is verified by calling back. */
    public boolean callsBack(Optional<String> trunk) {
        return mode.callsBack(trunk, untrustedTrunks);
    }

    /** Records the promise, within the limits; nothing is dialled yet. */
    public CallBackDecision request(BhxhCode code, CallRef requestedBy, Language language) {
        return requests.request(code, requestedBy, language, clock.instant());
    }

    /** Places the promised call once the caller's line is free again, and records how it went. */
    public void dialAfterHangUp(CallBackOrder order) {
        try {
            schedule(order);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The instance is stopping: the request stays, marked failed; the citizen may call again.
            log.warn("call-back {} not placed: the instance is stopping", order.id());
            recordResult(order, CallBackResult.FAILED);
        }
    }

    private void schedule(CallBackOrder order) {
        scheduler.schedule(
                () -> {
                    try {
                        dialer.dial(order, result -> recordResult(order, result));
                    } catch (RuntimeException e) {
                        log.error("call-back {} not placed: {}", order.id(), e.toString());
                        recordResult(order, CallBackResult.FAILED);
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void recordResult(CallBackOrder order, CallBackResult result) {
        log.info("call-back {} to {}: {}", order.id(), order.number().masked(), result.label());
        resultListener.accept(result);
        try {
            requests.recordResult(order.id(), result, clock.instant());
        } catch (RuntimeException e) {
            log.error("call-back {} result not recorded: {}", order.id(), e.toString());
        }
    }

    /** The leg takes its request, once, while it is fresh. */
    public Optional<CallBackLeg> claim(CallBackId id, CallRef leg) {
        if (requests == null) {
            return Optional.empty(); // caller-ID mode: no request exists, whatever the URL says
        }
        Instant now = clock.instant();
        return requests.claim(id, leg, now.minus(freshness));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }
}
