package vn.vss.ivr.hotline;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import vn.vss.ivr.adapter.agi.LeftoverRecordings;
import vn.vss.ivr.adapter.spool.SpooledCallStore;

/**
 * The hotline's background chores on one daemon thread: spooled call events are written to the
 * database every 2 seconds, and recordings left behind by calls are deleted every 5 minutes.
 */
final class Housekeeping implements AutoCloseable {
    private final ScheduledExecutorService thread;

    private Housekeeping(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    static Housekeeping start(SpooledCallStore spool, LeftoverRecordings leftovers) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "spool-replay");
            named.setDaemon(true);
            return named;
        });
        thread.scheduleWithFixedDelay(spool::replay, 2, 2, TimeUnit.SECONDS);
        thread.scheduleWithFixedDelay(leftovers::delete, 0, 5, TimeUnit.MINUTES);
        return new Housekeeping(thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
