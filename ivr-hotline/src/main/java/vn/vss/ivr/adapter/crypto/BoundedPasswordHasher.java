package vn.vss.ivr.adapter.crypto;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import vn.vss.ivr.call.PasswordHasher;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * Runs a hasher on a few threads of its own. Argon2id takes 19 MiB and tens of milliseconds of one
 * core per hash: run on every call's thread, a burst of verified calls would each take its 19 MiB
 * at once and all get slower together. Here at most {@code threads} hashes run at once, so hashing
 * holds at most {@code threads} x 19 MiB; a bounded number of calls wait their turn, and a call that
 * cannot be queued, or whose hash is not ready within {@code maxWait}, gets a
 * {@link ServiceUnavailableException}: the caller hears "temporarily unavailable" and no password
 * changes.
 */
public final class BoundedPasswordHasher implements PasswordHasher, AutoCloseable {
    private final PasswordHasher hasher;
    private final Duration maxWait;
    private final ThreadPoolExecutor pool;
    private final Timer queueTime;
    private final Counter refusedQueueFull;
    private final Counter refusedTooSlow;

    public BoundedPasswordHasher(PasswordHasher hasher, HashingLimits limits, MeterRegistry registry) {
        this.hasher = hasher;
        this.maxWait = limits.maxWait();
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                limits.threads(),
                limits.threads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()),
                runnable -> {
                    Thread thread = new Thread(runnable, "password-hash-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        this.queueTime = Timer.builder("ivr.password.hash.queue")
                .description("Time a password waited for a hashing thread")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.refusedQueueFull = refusals(registry, "queue_full");
        this.refusedTooSlow = refusals(registry, "too_slow");
    }

    private static Counter refusals(MeterRegistry registry, String reason) {
        return Counter.builder("ivr.password.hash.refused")
                .description("Password hashes refused: queue full, or not done within IVR_HASH_WAIT")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * The caller keeps {@code password} and wipes it once this returns; a hash given up on may still
     * read it meanwhile, and its result is thrown away.
     */
    @Override
    public String hash(char[] password) {
        return inTurn(() -> hasher.hash(password));
    }

    @Override
    public boolean verify(char[] password, String storedHash) {
        return inTurn(() -> hasher.verify(password, storedHash));
    }

    private <T> T inTurn(Callable<T> work) {
        long queuedAt = System.nanoTime();
        Future<T> result;
        try {
            result = pool.submit(() -> {
                queueTime.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
                return work.call();
            });
        } catch (RejectedExecutionException e) {
            refusedQueueFull.increment();
            throw new ServiceUnavailableException(
                    "password hashing is saturated (IVR_HASH_THREADS running, IVR_HASH_QUEUE waiting)", null);
        }
        try {
            return result.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Not started yet: it never will be, and leaves the queue now. Running: its result is dropped.
            result.cancel(false);
            pool.remove((Runnable) result);
            refusedTooSlow.increment();
            throw new ServiceUnavailableException(
                    "the password was not hashed within IVR_HASH_WAIT (" + maxWait + ")", null);
        } catch (InterruptedException e) {
            result.cancel(false);
            pool.remove((Runnable) result);
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while the password was hashed", e);
        } catch (ExecutionException e) {
            throw new ServiceUnavailableException("the password could not be hashed", e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
