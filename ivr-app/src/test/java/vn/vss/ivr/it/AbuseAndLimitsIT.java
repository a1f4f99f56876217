package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.simulator.CallTranscript;
import vn.vss.ivr.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** Rate limits, simultaneous calls and peers that must be refused. */
class AbuseAndLimitsIT {
    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenTwoSimultaneousCallsForOneCode_thenExactlyOneResetIsCommitted() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CallTranscript>> calls = List.of(
                CompletableFuture.supplyAsync(() -> callAfter(start, subscriber)),
                CompletableFuture.supplyAsync(() -> callAfter(start, subscriber)));
        start.countDown();

        List<CallTranscript> transcripts =
                calls.stream().map(CompletableFuture::join).toList();

        assertThat(transcripts)
                .filteredOn(t -> t.promptNames().contains("password-intro"))
                .hasSize(1);
        assertThat(transcripts)
                .filteredOn(t -> t.promptNames().contains("mismatch"))
                .hasSize(1);
        assertThat(hotline.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                .isEqualTo(1);
        transcripts.forEach(t -> HeardPasswords.remember(t.digitsAfter("password-intro", 1)));
    }

    private CallTranscript callAfter(CountDownLatch start, Subscriber subscriber) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
    }

    @Test
    void givenACodeResetThreeTimesToday_thenTheFourthCallGetsTheUniformAnswer() {
        Subscriber subscriber = hotline.freshSubscriber();
        for (int i = 0; i < 3; i++) {
            CallTranscript call =
                    hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
            assertThat(call.promptNames()).contains("password-intro");
            HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        }
        String hashAfterThird = hotline.passwordHash(subscriber.code());

        CallTranscript fourth =
                hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(fourth.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(hotline.passwordHash(subscriber.code())).isEqualTo(hashAfterThird);
    }

    @Test
    void givenTenFailuresFromAnyNumbers_thenTheCodeIsLockedEvenForItsOwnNumber() {
        Subscriber subscriber = hotline.freshSubscriber();
        for (int i = 0; i < 10; i++) {
            hotline.call(CallerScript.from(hotline.freshStranger()).keys(subscriber.code() + "#"));
        }

        CallTranscript own = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(own.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(hotline.dsl()
                        .select(SUBSCRIBER.LOCKED_UNTIL)
                        .from(SUBSCRIBER)
                        .where(SUBSCRIBER.BHXH_CODE.eq(subscriber.code()))
                        .fetchOne(SUBSCRIBER.LOCKED_UNTIL))
                .isNotNull();
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
    }

    @Test
    void givenACallerWithFiveFailures_thenItGetsNoMoreLookupsEvenAfterARestart() {
        TestHotline first = TestHotline.start(Map.of());
        Subscriber own;
        try {
            own = first.freshSubscriber();
            for (int i = 0; i < 5; i++) {
                String someoneElsesCode = first.freshSubscriber().code();
                first.call(CallerScript.from(own.phone()).keys(someoneElsesCode + "#"));
            }
        } finally {
            first.close();
        }
        TestHotline restarted = TestHotline.start(Map.of(
                "IVR_EMBEDDED_DB_DIR", first.directory().resolve("postgres").toString()));
        try {
            CallTranscript call = restarted.call(CallerScript.from(own.phone()).keys(own.code() + "#"));

            assertThat(call.promptNames()).contains("mismatch").doesNotContain("password-intro");
            assertThat(restarted
                            .dsl()
                            .select(SUBSCRIBER.PASSWORD_HASH)
                            .from(SUBSCRIBER)
                            .where(SUBSCRIBER.BHXH_CODE.eq(own.code()))
                            .fetchOne(SUBSCRIBER.PASSWORD_HASH))
                    .isNull();
        } finally {
            restarted.close();
        }
    }

    @Test
    void givenAPeerOutsideTheAllowlist_thenTheConnectionIsClosedBeforeAnyCommandAndNoCallIsRecorded() throws Exception {
        TestHotline guarded = TestHotline.start(Map.of("IVR_AGI_ALLOWED_PEERS", "192.0.2.10, 10.1.0.0/16"));
        try (Socket socket = new Socket("127.0.0.1", guarded.hotline().agiPort())) {
            socket.setSoTimeout(5_000);
            int received;
            try {
                Thread.sleep(200); // let the server refuse it first
                socket.getOutputStream().write("agi_network: yes\nagi_network_script: vssid-reset\n\n".getBytes());
                InputStream in = socket.getInputStream();
                received = in.read();
            } catch (java.net.SocketException reset) {
                received = -1; // refused with a reset: nothing was sent to us either
            }
            assertThat(received).isEqualTo(-1);
            assertThat(guarded.dsl().fetchCount(CALL)).isZero();
            assertThat(guarded.hotline().registry().scrape()).contains("ivr_agi_peers_refused_total 1.0");
        } finally {
            guarded.close();
        }
    }

    @Test
    void givenARequestForAnotherScript_thenNoCallIsPlaced() {
        long before = hotline.dsl().fetchCount(CALL);

        CallTranscript call = hotline.call(CallerScript.from("0912345678").script("something-else"));

        assertThat(call.answered()).isFalse();
        assertThat(call.commands()).allMatch(command -> command.startsWith("SET VARIABLE \"AJ_AGISTATUS\""));
        assertThat(hotline.dsl().fetchCount(CALL)).isEqualTo(before);
    }
}
