package vn.vss.ivr.adapter.crypto;

import java.time.Duration;

/**
 * How much of the machine password hashing may take: {@code threads} hashes at once (each holds
 * 19 MiB while it runs), {@code queue} more waiting, and a call waits at most {@code maxWait} from
 * asking to having its hash.
 */
public record HashingLimits(int threads, int queue, Duration maxWait) {
    public static HashingLimits defaults() {
        return new HashingLimits(Runtime.getRuntime().availableProcessors(), 100, Duration.ofSeconds(5));
    }
}
