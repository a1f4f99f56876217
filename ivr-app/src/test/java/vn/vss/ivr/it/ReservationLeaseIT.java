package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * A verified call holds its code on a short lease renewed while the call lasts: a call far longer
 * than the lease keeps its code (a second call for it gets the uniform answer), and the code is
 * free as soon as the call ends. Here the lease is 3 s, renewed every second.
 */
class ReservationLeaseIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static TestHotline hotline;

    @BeforeAll
    static void start() {
        hotline = TestHotline.start(Map.of(), TestHotline.reservationLease(LEASE));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenACallLastingManyLeases_thenItKeepsItsCodeUntilItEnds_andTheCodeIsFreeAfterwards() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        FakeAsterisk slow = new FakeAsterisk(
                        "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(0.5);
        // The caller hears the password, then asks for it three more times: about 20 s in real time.
        CompletableFuture<CallTranscript> first = CompletableFuture.supplyAsync(() -> place(
                slow,
                CallerScript.from(subscriber.phone())
                        .keys(subscriber.code() + "#")
                        .keysDuringPrompt("repeat-offer", "1")
                        .keysDuringPrompt("repeat-offer", "1")
                        .keysDuringPrompt("repeat-offer", "1")));
        awaitReservation(subscriber.code());
        Thread.sleep(LEASE.multipliedBy(3).toMillis());
        assertThat(first).as("the first call is still on the line").isNotDone();

        CallTranscript second =
                hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(second.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("not_verified");
        CallTranscript firstCall = first.join();
        assertThat(firstCall.promptNames()).contains("password-intro");
        assertThat(hotline.dsl()
                        .selectFrom(SUBSCRIBER)
                        .where(SUBSCRIBER.BHXH_CODE.eq(subscriber.code()))
                        .fetchOne()
                        .getReservedByCall())
                .as("released when the call ended")
                .isNull();

        CallTranscript third =
                hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        assertThat(third.promptNames()).contains("password-intro");
    }

    private static CallTranscript place(FakeAsterisk asterisk, CallerScript script) {
        try {
            return asterisk.call(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReservation(String code) throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            SubscriberRecord s = hotline.dsl()
                    .selectFrom(SUBSCRIBER)
                    .where(SUBSCRIBER.BHXH_CODE.eq(code))
                    .fetchOne();
            if (s.getReservedByCall() != null) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the code was never reserved");
    }
}
