package vn.vss.ivr.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The queue of reset notices waiting to be sent by SMS, shared by every instance. A notice is claimed
 * (committed) before it is handed to the SMSC and marked after the SMSC answers, so that a sender
 * killed between the two leaves a row that says so ("in doubt") instead of one that would be sent a
 * second time. Every method commits before it returns.
 */
public interface NoticeOutbox {
    /**
     * Claims up to {@code most} notices that are due, oldest first, for {@code instance}; rows claimed
     * by another instance at the same moment are skipped.
     */
    List<Claim> claim(int most, String instance, Instant now);

    /** A claimed notice, and which attempt at sending it this is (1 for the first). */
    record Claim(ResetNotice notice, int attempt) {}

    /** The SMSC accepted the notice under {@code messageId}. */
    void markSent(long id, String instance, String messageId, Instant now);

    /**
     * The notice was not taken (SMSC unreachable, throttling, a temporary error): due again at
     * {@code at}. {@code countsAsAttempt} false gives the claim's attempt back (throttling is the
     * SMSC pacing us, not a failure of this notice).
     */
    void retryLater(long id, String instance, Instant at, String error, boolean countsAsAttempt);

    /** The SMSC refused the notice for good. */
    void markFailed(long id, String instance, String error);

    /** The notice may or may not have reached the SMSC; it is never sent again by itself. */
    void markInDoubt(long id, String instance, String error);

    /**
     * Notices this instance had claimed but not marked when it last stopped (a crash): each becomes in
     * doubt. Returns how many.
     */
    int inDoubtAfterRestart(String instance);

    /**
     * Notices claimed by any instance before {@code claimedBefore} and still not marked: their sender
     * died or lost the database. Each becomes in doubt. Returns how many.
     */
    int inDoubtWhenAbandoned(Instant claimedBefore);

    /** Records a delivery receipt; the notice sent under {@code messageId} shows it. */
    void recordReceipt(String messageId, String state, String error, Instant receivedAt);

    /** What an operator watches: the age of the oldest notice still waiting, and notices in doubt. */
    Backlog backlog(Instant now);

    /** @param oldestWaiting age of the oldest notice not yet sent (pending or being submitted) */
    record Backlog(Optional<Duration> oldestWaiting, int waiting, int inDoubt) {}
}
