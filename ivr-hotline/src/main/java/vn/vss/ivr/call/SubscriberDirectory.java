package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;

/**
 * The registered subscribers and their passwords, with the rate limits that protect them. Each
 * method is one atomic step.
 */
public interface SubscriberDirectory {
    /**
     * Checks the code against the calling number and the limits; on a match, reserves the account
     * for this call so that no simultaneous call can reset it too.
     */
    Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now);

    /**
     * Puts the new password in force; false if this call no longer holds the reservation. The call
     * keeps the reservation until it releases it at its end.
     */
    boolean commitReset(BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now);

    /**
     * Whether this call's reset is in force: asked when {@link #commitReset} failed without saying
     * whether the database had committed (the connection broke after the commit, before its reply).
     */
    boolean resetCommittedBy(CallRef call);

    /**
     * Gives up this call's reservation when the call ends; a password already put in force stays,
     * otherwise the old one does.
     */
    void releaseReservation(BhxhCode code, CallRef call);
}
