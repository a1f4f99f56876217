package vn.vss.ivr.call;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One thread that ticks every running call's meter, so that each new minute is billed as it starts. */
public final class ChargeTicker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChargeTicker.class);

    private final Set<ChargeMeter> meters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    public ChargeTicker(Duration every) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "charge-ticker");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::tickAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void watch(ChargeMeter meter) {
        meters.add(meter);
    }

    public void forget(ChargeMeter meter) {
        meters.remove(meter);
    }

    public int watched() {
        return meters.size();
    }

    private void tickAll() {
        for (ChargeMeter meter : meters) {
            try {
                meter.tick();
            } catch (RuntimeException e) {
                log.error("charge tick failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
