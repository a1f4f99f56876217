package vn.vss.ivr.adapter.postgres;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;

/**
 * A verified call holds its code on a lease: the reservation lasts {@code IVR_RESET_RESERVATION}
 * (1 minute) from its last renewal, and is renewed every third of that while the call lasts. The
 * call releases it when it ends; should that release fail (the database hangs, the app crashes),
 * the code is still free at most one lease after the call ended, so a citizen calling back is not
 * turned away for longer than that.
 */
public final class ReservationLeases implements SubscriberDirectory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReservationLeases.class);

    private final JooqSubscriberDirectory directory;
    private final Clock clock;
    /** The calls on the line that hold a reservation: only these are renewed. */
    private final Set<CallRef> held = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService renewer;

    public ReservationLeases(JooqSubscriberDirectory directory, Duration lease, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reservation-renewal");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewHeld, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        Verdict verdict = directory.verifyAndReserve(code, caller, call, now);
        if (verdict.matched()) {
            held.add(call);
        }
        return verdict;
    }

    @Override
    public boolean commitReset(BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now) {
        return directory.commitReset(code, call, passwordHash, expiresAt, now);
    }

    @Override
    public boolean resetCommittedBy(CallRef call) {
        return directory.resetCommittedBy(call);
    }

    /** The lease stops being renewed first, so even a release that fails frees the code in time. */
    @Override
    public void releaseReservation(BhxhCode code, CallRef call) {
        held.remove(call);
        directory.releaseReservation(code, call);
    }

    /** Calls whose reservation is being renewed (for tests). */
    public int held() {
        return held.size();
    }

    /**
     * One statement for every call on the line. A renewal that fails is tried at the next turn; the
     * lease outlasts two missed turns.
     */
    private void renewHeld() {
        if (held.isEmpty()) {
            return;
        }
        try {
            directory.renewReservations(Set.copyOf(held), clock.instant());
        } catch (RuntimeException e) {
            log.warn("reservations of {} call(s) not renewed this time: {}", held.size(), e.toString());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
