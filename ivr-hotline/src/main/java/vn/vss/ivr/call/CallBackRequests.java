package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;

/** The call-backs promised to callers, and their limits. Each method is one atomic step. */
public interface CallBackRequests {
    /**
     * Promises a call-back to the number registered for {@code code} (read from the directory,
     * never from the caller) unless a limit forbids it: at most as many call-backs per code within
     * the reset window as resets, and none to a number called back less than the gap ago.
     */
    CallBackDecision request(BhxhCode code, CallRef requestedBy, Language language, Instant now);

    /**
     * The call-back leg {@code leg} takes its request: only once, and only if it was made after
     * {@code requestedAfter}. Empty for an unknown, used or stale request.
     */
    Optional<CallBackLeg> claim(CallBackId id, CallRef leg, Instant requestedAfter);

    /** Notes what became of the call-back; the first result counts. */
    void recordResult(CallBackId id, CallBackResult result, Instant now);
}
