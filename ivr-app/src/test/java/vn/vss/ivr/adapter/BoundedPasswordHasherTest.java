package vn.vss.ivr.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.adapter.crypto.BoundedPasswordHasher;
import vn.vss.ivr.adapter.crypto.HashingLimits;
import vn.vss.ivr.call.PasswordHasher;
import vn.vss.ivr.call.ServiceUnavailableException;

/** The bounded pool around Argon2id: how many hash at once, how many wait, how long a call waits. */
class BoundedPasswordHasherTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void givenManySimultaneousHashes_thenNoMoreRunAtOnceThanThreads_andEachHashIsAPhcStringThatVerifies()
            throws Exception {
        CountingHasher counting = new CountingHasher(new Argon2idPasswordHasher(new SecureRandom()));
        try (BoundedPasswordHasher hasher =
                new BoundedPasswordHasher(counting, new HashingLimits(2, 20, Duration.ofSeconds(30)), registry)) {
            var callers = Executors.newFixedThreadPool(12);
            List<CompletableFuture<String>> hashes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                hashes.add(CompletableFuture.supplyAsync(() -> hasher.hash("40712236".toCharArray()), callers));
            }
            for (CompletableFuture<String> hash : hashes) {
                assertThat(new Argon2idPasswordHasher(new SecureRandom())
                                .verify("40712236".toCharArray(), hash.get(60, TimeUnit.SECONDS)))
                        .isTrue();
            }
            callers.shutdown();
        }
        assertThat(counting.mostAtOnce.get()).isBetween(1, 2);
        assertThat(registry.get("ivr.password.hash.queue").timer().count()).isEqualTo(12);
    }

    @Test
    void givenTheThreadsBusyAndTheQueueFull_thenTheNextCallIsRefusedAtOnce_andCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PasswordHasher stuck = new BlockingHasher(release);
        try (BoundedPasswordHasher hasher =
                new BoundedPasswordHasher(stuck, new HashingLimits(1, 1, Duration.ofSeconds(30)), registry)) {
            CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> hasher.hash(new char[] {'1'}));
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> hasher.hash(new char[] {'2'}));
            awaitQueued(running, waiting);

            assertThatThrownBy(() -> hasher.hash(new char[] {'3'}))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("IVR_HASH_QUEUE");
            assertThat(refused("queue_full")).isEqualTo(1);

            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("hash");
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("hash");
        }
    }

    @Test
    void givenAHashNotReadyWithinTheWait_thenTheCallHearsUnavailable_andTheQueueIsFreed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (BoundedPasswordHasher hasher = new BoundedPasswordHasher(
                new BlockingHasher(release), new HashingLimits(1, 1, Duration.ofMillis(200)), registry)) {
            assertThatThrownBy(() -> hasher.hash(new char[] {'1'}))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("IVR_HASH_WAIT");
            // The thread is still held by the first hash; the one given up on while queued leaves no trace.
            assertThatThrownBy(() -> hasher.hash(new char[] {'2'}))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("IVR_HASH_WAIT");
            assertThat(refused("too_slow")).isEqualTo(2);
            assertThat(refused("queue_full")).isZero();
            release.countDown();
        }
    }

    private double refused(String reason) {
        return registry.get("ivr.password.hash.refused")
                .tag("reason", reason)
                .counter()
                .count();
    }

    /** Waits until one hash runs and the other waits in the queue. */
    private static void awaitQueued(CompletableFuture<?>... calls) throws InterruptedException {
        Thread.sleep(300);
        for (CompletableFuture<?> call : calls) {
            assertThat(call).isNotDone();
        }
    }

    /** Stands for a hash that takes as long as the test wants. */
    private record BlockingHasher(CountDownLatch release) implements PasswordHasher {
        @Override
        public String hash(char[] password) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "hash";
        }

        @Override
        public boolean verify(char[] password, String storedHash) {
            return false;
        }
    }

    /** The real hasher, counting how many hashes run at the same moment. */
    private static final class CountingHasher implements PasswordHasher {
        private final PasswordHasher hasher;
        private final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        CountingHasher(PasswordHasher hasher) {
            this.hasher = hasher;
        }

        @Override
        public String hash(char[] password) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return hasher.hash(password);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public boolean verify(char[] password, String storedHash) {
            return hasher.verify(password, storedHash);
        }
    }
}
