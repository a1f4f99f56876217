package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Password hashing with one thread and room for one more hash waiting, through the real server:
 * twenty rightful callers verified at the same moment. Those whose hash finds no room hear
 * "temporarily unavailable" and keep their old password; the others hear a password that is in
 * force. Nobody waits for a hash in a queue without bound.
 */
class PasswordHashingOverloadIT {
    private static final int CALLS = 20;
    private static TestHotline hotline;

    @BeforeAll
    static void start() {
        hotline = TestHotline.start(Map.of("IVR_HASH_THREADS", "1", "IVR_HASH_QUEUE", "1", "IVR_HASH_WAIT", "3s"));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenMoreVerifiedCallsAtOnceThanHashingTakes_thenTheRestHearUnavailable_andNoPasswordChangesForThem()
            throws Exception {
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            subscribers.add(hotline.freshSubscriber());
        }
        ExecutorService callers = Executors.newFixedThreadPool(CALLS);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CallTranscript>> placed = new ArrayList<>();
        for (Subscriber subscriber : subscribers) {
            placed.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return hotline.call(
                                CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
                    },
                    callers));
        }
        start.countDown();
        int heard = 0;
        int unavailable = 0;
        Argon2idPasswordHasher argon2 = new Argon2idPasswordHasher(new SecureRandom());
        for (int i = 0; i < CALLS; i++) {
            CallTranscript call = placed.get(i).join();
            Subscriber subscriber = subscribers.get(i);
            if (call.promptNames().contains("password-intro")) {
                heard++;
                String password = HeardPasswords.remember(call.digitsAfter("password-intro", 1));
                assertThat(argon2.verify(password.toCharArray(), hotline.passwordHash(subscriber.code())))
                        .as("the password heard is the one in force")
                        .isTrue();
            } else {
                unavailable++;
                assertThat(call.promptNames()).contains("unavailable").doesNotContain("mismatch");
                assertThat(hotline.passwordHash(subscriber.code()))
                        .as("no password change")
                        .isNull();
                assertThat(hotline.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                        .isZero();
                assertThat(outcome(subscriber)).isEqualTo(CallOutcome.SERVICE_UNAVAILABLE.label());
                assertThat(reservedBy(subscriber.code()))
                        .as("the code is free again")
                        .isNull();
            }
        }
        callers.shutdown();

        assertThat(heard).as("calls that heard a password").isPositive();
        assertThat(unavailable).as("calls refused for hashing").isPositive();
        double refused = hotline.hotline().registry().get("ivr.password.hash.refused").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        assertThat(refused).isEqualTo(unavailable);
        assertThat(hotline.hotline()
                        .registry()
                        .get("ivr.password.hash.queue")
                        .timer()
                        .count())
                .as("hashes that got a thread")
                .isEqualTo(heard);
    }

    private static String outcome(Subscriber subscriber) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            var record = hotline.lastCallFrom(subscriber.phone());
            if (record != null && record.getOutcome() != null) {
                return record.getOutcome();
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static Object reservedBy(String code) {
        return hotline.dsl()
                .select(SUBSCRIBER.RESERVED_BY_CALL)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne(SUBSCRIBER.RESERVED_BY_CALL);
    }
}
