package vn.vss.ivr;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import vn.vss.ivr.hotline.Hotline;

/**
 * SIGTERM (what {@code docker stop} and systemd send) starts a graceful drain instead of ending the
 * process at once: the first one takes the instance out of service and lets calls finish; a second
 * one ends the calls still running politely, without waiting for the drain limit. Other ways out
 * (SIGINT, a crash) keep their old meaning: the calls are cut, and the next start closes them.
 */
final class StopSignals {
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private StopSignals() {}

    /** Listens for SIGTERM on behalf of {@code hotline}. */
    static StopSignals install(Hotline hotline) {
        StopSignals signals = new StopSignals();
        Signal.handle(new Signal("TERM"), signal -> {
            if (signals.stopRequested.getCount() == 0) {
                hotline.hurryDrain();
            } else {
                signals.stopRequested.countDown();
            }
        });
        return signals;
    }

    /** Waits for the first SIGTERM. */
    void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }
}
