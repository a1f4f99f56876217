package vn.vss.ivr.adapter.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;

/**
 * A caller waits for a verification at most {@code IVR_DB_QUERY_TIMEOUT}, whatever the database
 * does. A database that hangs (a frozen server, a network that drops packets) holds a statement
 * until the connection's socket time-out, and the pool may spend as long again checking its
 * connections; with many calls at once the caller would hear "unavailable" far later than promised.
 * So the verification runs on its own thread and the call goes on without it once the time is up.
 *
 * <p>A verification given up on may still finish later. Its verdict counts as the database took it
 * (a failure stays counted against the caller ID), but a match reserved the code for a call that
 * has already told its caller "unavailable": that reservation is released at once (and would lapse
 * within a lease anyway).
 */
public final class VerificationTimeLimit implements SubscriberDirectory {
    private static final Logger log = LoggerFactory.getLogger(VerificationTimeLimit.class);

    private final SubscriberDirectory directory;
    private final Duration limit;
    private final ThreadPoolExecutor verifications;

    /**
     * @param mostWaiting verifications that may wait for the database at once; beyond that, a call
     *     hears "unavailable" at once (the database is evidently not keeping up)
     */
    public VerificationTimeLimit(SubscriberDirectory directory, Duration limit, int mostWaiting) {
        this.directory = directory;
        this.limit = limit;
        // No thread kept ready: an idle one takes the next verification, a new one starts only when
        // all are busy, and one idle for 30 s ends.
        this.verifications =
                new ThreadPoolExecutor(0, mostWaiting, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread thread = new Thread(r, "verification");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        CompletableFuture<Verdict> decision;
        try {
            decision = CompletableFuture.supplyAsync(
                    () -> directory.verifyAndReserve(code, caller, call, now), verifications);
        } catch (RejectedExecutionException e) {
            throw new ServiceUnavailableException("too many verifications are waiting for the database", e);
        }
        try {
            return decision.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new ServiceUnavailableException("the verification failed", e.getCause());
        } catch (TimeoutException e) {
            releaseIfItMatchesLate(decision, code, call);
            throw new ServiceUnavailableException(
                    "the database did not decide within " + limit.toMillis() + " ms (IVR_DB_QUERY_TIMEOUT)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            releaseIfItMatchesLate(decision, code, call);
            throw new ServiceUnavailableException("interrupted while waiting for the verification", e);
        }
    }

    private void releaseIfItMatchesLate(CompletableFuture<Verdict> decision, BhxhCode code, CallRef call) {
        decision.thenAccept(late -> {
            if (late.matched()) {
                log.warn("a verification given up on matched later; its reservation is released");
                try {
                    directory.releaseReservation(code, call);
                } catch (RuntimeException e) {
                    log.warn("that reservation could not be released; it lapses by itself: {}", e.toString());
                }
            }
        });
    }

    @Override
    public boolean commitReset(BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now) {
        return directory.commitReset(code, call, passwordHash, expiresAt, now);
    }

    @Override
    public boolean resetCommittedBy(CallRef call) {
        return directory.resetCommittedBy(call);
    }

    @Override
    public void releaseReservation(BhxhCode code, CallRef call) {
        directory.releaseReservation(code, call);
    }
}
