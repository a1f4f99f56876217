package vn.vss.ivr.adapter.agi;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused FastAGI connections without flooding the log: the first refusal of a peer is logged
 * at once, the ones after it are counted and summarised in one line per peer and interval. Peers are
 * counted one by one up to {@value #MOST_PEERS_NAMED} per interval; beyond that (a scan from many
 * addresses) they are summed in one line. Every refusal is still counted in the metric.
 */
final class RefusalLog {
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int MOST_PEERS_NAMED = 100;
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

    private final LongSupplier nanoTime;
    private final long intervalNanos;
    /** Peers refused in this interval, and how many refusals of each are not yet logged. */
    private final Map<String, Integer> unlogged = new LinkedHashMap<>();

    private long intervalStarted;
    private int fromUnnamedPeers;

    RefusalLog(LongSupplier nanoTime, Duration interval) {
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
        this.intervalStarted = nanoTime.getAsLong();
    }

    /** One refused connection from this peer. */
    synchronized void refused(InetAddress peer) {
        summariseIfDue();
        String address = peer.getHostAddress();
        Integer count = unlogged.get(address);
        if (count != null) {
            unlogged.put(address, count + 1);
        } else if (unlogged.size() < MOST_PEERS_NAMED) {
            unlogged.put(address, 0);
            log.warn(
                    "refused a FastAGI connection from {}: not in IVR_AGI_ALLOWED_PEERS"
                            + " (further refusals are summarised every {} s)",
                    address,
                    intervalNanos / 1_000_000_000L);
        } else {
            fromUnnamedPeers++;
        }
    }

    /** Writes the summary lines of an interval that has ended; called on every refusal and periodically. */
    synchronized void summariseIfDue() {
        long now = nanoTime.getAsLong();
        if (now - intervalStarted < intervalNanos) {
            return;
        }
        long seconds = Math.max(1, (now - intervalStarted) / 1_000_000_000L);
        unlogged.forEach((address, count) -> {
            if (count > 0) {
                log.warn(
                        "refused {} more FastAGI connection(s) from {} in the last {} s: not in IVR_AGI_ALLOWED_PEERS",
                        count,
                        address,
                        seconds);
            }
        });
        if (fromUnnamedPeers > 0) {
            log.warn(
                    "refused {} more FastAGI connection(s) from more than {} other peers in the last {} s",
                    fromUnnamedPeers,
                    MOST_PEERS_NAMED,
                    seconds);
        }
        unlogged.clear();
        fromUnnamedPeers = 0;
        intervalStarted = now;
    }
}
