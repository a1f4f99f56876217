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
    private Runnable onRelease = () -> {};

    public FakeSubscriberDirectory register(String code, String e164) {
        phoneByCode.put(code, e164);
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
        return true;
    }

    @Override
    public synchronized void releaseReservation(BhxhCode code, CallRef call) {
        onRelease.run();
        reservedBy.remove(code.digits(), call.id());
    }
}
