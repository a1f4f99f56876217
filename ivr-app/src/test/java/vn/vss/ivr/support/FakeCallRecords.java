package vn.vss.ivr.support;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;

/** Call records in memory. */
public final class FakeCallRecords implements CallRecords {
    private final Map<CallRef, CallSummary> closed = new ConcurrentHashMap<>();
    private final Map<CallRef, Instant> answered = new ConcurrentHashMap<>();
    private final Map<CallRef, CallStart> opened = new ConcurrentHashMap<>();

    @Override
    public void open(CallRef call, CallStart start) {
        opened.put(call, start);
    }

    @Override
    public void answered(CallRef call, Instant answeredAt) {
        answered.put(call, answeredAt);
    }

    @Override
    public void close(CallRef call, CallSummary summary) {
        closed.put(call, summary);
    }

    public CallRef onlyCall() {
        if (opened.size() != 1) {
            throw new AssertionError("expected one call, found " + opened.size());
        }
        return opened.keySet().iterator().next();
    }

    public Instant answeredAt(CallRef call) {
        return answered.get(call);
    }

    public CallSummary onlyClosed() {
        if (closed.size() != 1) {
            throw new AssertionError("expected one closed call, found " + closed.size());
        }
        return closed.values().iterator().next();
    }
}
