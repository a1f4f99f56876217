package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.RawHttp;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Restarting an instance without cutting a caller off: the drain takes the instance out of service
 * (not ready, FastAGI port closed) while the calls in progress finish and are billed.
 */
class GracefulDrainIT {

    @Test
    void givenACallInProgress_whenTheInstanceDrains_thenTheCallFinishesAndNewCallsAndReadinessAreRefused()
            throws Exception {
        TestHotline hotline = TestHotline.start(Map.of());
        try {
            Subscriber subscriber = hotline.freshSubscriber();
            int agiPort = hotline.hotline().agiPort();
            int httpPort = hotline.hotline().httpPort();
            CompletableFuture<CallTranscript> call = callAsync(agiPort, subscriber, 0.5);
            awaitAnswered(hotline.dsl(), subscriber.phone());
            assertThat(hotline.hotline().activeCalls())
                    .as("calls in progress when the drain starts")
                    .isEqualTo(1);

            CompletableFuture<Boolean> drained =
                    CompletableFuture.supplyAsync(() -> hotline.hotline().drain(Duration.ofSeconds(120)));
            awaitRefused(agiPort);
            assertThat(RawHttp.get(httpPort, "/health/ready", 5_000)).startsWith("HTTP/1.1 503");
            assertThat(RawHttp.get(httpPort, "/health/live", 5_000)).startsWith("HTTP/1.1 200");

            assertThat(drained.get(120, TimeUnit.SECONDS))
                    .as("every call ended on its own")
                    .isTrue();
            CallTranscript transcript = call.get(10, TimeUnit.SECONDS);
            assertThat(transcript.promptNames()).contains("password-intro").endsWith("goodbye");
            assertThat(transcript.promptNames()).doesNotContain("restarting");
            CallRecord record = recordOf(hotline.dsl(), subscriber.phone());
            assertThat(record.getOutcome()).isEqualTo("password_heard");
            assertThat(record.getEndedAt()).isNotNull();
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                    .isEqualTo(1);
            assertThat(passwordHashOf(hotline.dsl(), subscriber.code()))
                    .as("the new password")
                    .isNotNull();
        } finally {
            hotline.close();
        }
    }

    @Test
    void givenADrainLimitShorterThanTheCall_thenTheCallHearsRestartingAndIsClosedWithItsCharges() throws Exception {
        TestHotline hotline = TestHotline.start(Map.of());
        try {
            Subscriber subscriber = hotline.freshSubscriber();
            // In real time, the greeting alone outlasts the one-second limit.
            CompletableFuture<CallTranscript> call = callAsync(hotline.hotline().agiPort(), subscriber, 1.0);
            awaitAnswered(hotline.dsl(), subscriber.phone());

            assertThat(hotline.hotline().drain(Duration.ofSeconds(1)))
                    .as("a call was still running at the limit")
                    .isFalse();

            CallTranscript transcript = call.get(30, TimeUnit.SECONDS);
            assertThat(transcript.promptNames()).endsWith("restarting", "goodbye");
            assertThat(transcript.promptNames()).doesNotContain("password-intro");
            CallRecord record = recordOf(hotline.dsl(), subscriber.phone());
            assertThat(record.getOutcome()).isEqualTo("interrupted");
            assertThat(record.getEndedAt()).isNotNull();
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            assertThat(record.getChargedVnd()).isEqualTo(1_000L);
            assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                    .isEqualTo(1);
            assertThat(passwordHashOf(hotline.dsl(), subscriber.code()))
                    .as("password unchanged")
                    .isNull();
        } finally {
            hotline.close();
        }
    }

    private static CompletableFuture<CallTranscript> callAsync(int agiPort, Subscriber subscriber, double realTime) {
        FakeAsterisk asterisk = new FakeAsterisk(
                        "127.0.0.1", agiPort, FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(realTime);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return asterisk.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The FastAGI port refuses connections (Asterisk's AGI then fails at once); fails after 5 s. */
    static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                // try again
            }
            Thread.sleep(20);
        }
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    }
                })
                .as("a new FastAGI connection during the drain")
                .isInstanceOf(ConnectException.class);
    }

    static void awaitAnswered(DSLContext dsl, String phone) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (dsl.fetchCount(CALL, CALL.CALLER_ID_RECEIVED.eq(phone).and(CALL.ANSWERED_AT.isNotNull())) == 1) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the call was not answered");
    }

    private static CallRecord recordOf(DSLContext dsl, String phone) {
        return dsl.selectFrom(CALL).where(CALL.CALLER_ID_RECEIVED.eq(phone)).fetchOne();
    }

    private static String passwordHashOf(DSLContext dsl, String code) {
        return dsl.select(SUBSCRIBER.PASSWORD_HASH)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne(SUBSCRIBER.PASSWORD_HASH);
    }
}
