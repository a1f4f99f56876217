package vn.vss.ivr.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.ChargeLedger;

/** Charge lines in memory, keyed by (call, minute) like the real table. */
public final class FakeChargeLedger implements ChargeLedger {
    private final Map<java.util.UUID, Map<Integer, Long>> lines = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger failuresToCome = new AtomicInteger();

    @Override
    public void chargeMinute(CallRef call, int minute, long amountVnd, Instant minuteStartedAt) {
        if (failuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("ledger unavailable");
        }
        writes.incrementAndGet();
        lines.computeIfAbsent(call.id(), id -> new TreeMap<>()).putIfAbsent(minute, amountVnd);
    }

    public void failNextWrites(int n) {
        failuresToCome.set(n);
    }

    public List<Integer> minutes(CallRef call) {
        return List.copyOf(lines.getOrDefault(call.id(), Map.of()).keySet());
    }

    public long totalVnd(CallRef call) {
        return lines.getOrDefault(call.id(), Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    public int writes() {
        return writes.get();
    }
}
