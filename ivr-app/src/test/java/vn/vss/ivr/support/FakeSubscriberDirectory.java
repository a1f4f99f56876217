package vn.vss.ivr.support;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;

/** Subscribers in memory, without rate limits: enough to drive the call's branches. */
public final class FakeSubscriberDirectory implements SubscriberDirectory {
    private final Map<String, String> phoneByCode = new HashMap<>();
    private final Map<String, String> hashByCode = new HashMap<>();
    private final Map<String, java.util.UUID> reservedBy = new HashMap<>();
    private boolean unavailable;
    private boolean commitAnswerLost;
    private final java.util.Set<java.util.UUID> resetsCommittedBy = new java.util.HashSet<>();
    private Runnable onRelease = () -> {};

    public FakeSubscriberDirectory register(String code, String e164) {
        phoneByCode.put(code, e164);
        return this;
    }

    /** The next commit is stored, but the call hears of a failure, as when the connection breaks. */
    public FakeSubscriberDirectory losesTheAnswerToTheNextCommit() {
        commitAnswerLost = true;
        return this;
    }

    public FakeSubscriberDirectory unavailable() {
        unavailable = true;
        return this;
    }

    /** Runs {@code action} whenever a reservation is released, e.g. to make that step slow. */
    public FakeSubscriberDirectory onRelease(Runnable action) {
        onRelease = action;
        return this;
    }

    public Optional<String> hash(String code) {
        return Optional.ofNullable(hashByCode.get(code));
    }

    public boolean isReserved(String code) {
        return reservedBy.containsKey(code);
    }

    @Override
    public synchronized Verdict verifyAndReserve(
            BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        if (unavailable) {
            throw new ServiceUnavailableException("database down", null);
        }
        String phone = phoneByCode.get(code.digits());
        if (phone == null) {
            return Verdict.UNKNOWN_CODE;
        }
        if (caller.isEmpty() || !caller.get().e164().equals(phone)) {
            return Verdict.WRONG_NUMBER;
        }
        if (reservedBy.containsKey(code.digits())) {
            return Verdict.RESET_IN_PROGRESS;
        }
        reservedBy.put(code.digits(), call.id());
        return Verdict.MATCH;
    }

    @Override
    public synchronized boolean commitReset(
            BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now) {
        if (!call.id().equals(reservedBy.get(code.digits()))) {
            return false;
        }
        // The reservation stays until the call ends and releases it, as in the database.
        hashByCode.put(code.digits(), passwordHash);
        resetsCommittedBy.add(call.id());
        if (commitAnswerLost) {
            commitAnswerLost = false;
            throw new ServiceUnavailableException("connection broken before the commit's reply", null);
        }
        return true;
    }

    @Override
    public synchronized boolean resetCommittedBy(CallRef call) {
        return resetsCommittedBy.contains(call.id());
    }

    @Override
    public synchronized void releaseReservation(BhxhCode code, CallRef call) {
        onRelease.run();
        reservedBy.remove(code.digits(), call.id());
    }
}
