package vn.vss.ivr.support;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;

/** Call records in memory. */
public final class FakeCallRecords implements CallRecords {
    private final AtomicLong ids = new AtomicLong(100);
    private final Map<Long, CallSummary> closed = new ConcurrentHashMap<>();
    private final Map<Long, Instant> answered = new ConcurrentHashMap<>();

    @Override
    public CallRef open(CallStart start) {
        return new CallRef(ids.incrementAndGet());
    }

    @Override
    public void answered(CallRef call, Instant answeredAt) {
        answered.put(call.id(), answeredAt);
    }

    @Override
    public void close(CallRef call, CallSummary summary) {
        closed.put(call.id(), summary);
    }

    public CallSummary onlyClosed() {
        if (closed.size() != 1) {
            throw new AssertionError("expected one closed call, found " + closed.size());
        }
        return closed.values().iterator().next();
    }
}
