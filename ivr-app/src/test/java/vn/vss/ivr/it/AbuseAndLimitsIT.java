package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
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

    @Test
    void givenASecondCallWhileTheFirstHearsItsPasswordAgain_thenTheFirstCallersPasswordStaysInForce() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        CallerScript script = CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#");
        FakeAsterisk realTime = new FakeAsterisk(
                        "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(0.5);
        CompletableFuture<CallTranscript> first = CompletableFuture.supplyAsync(() -> place(realTime, script));
        awaitPasswordInForce(subscriber.code());

        // The first caller has heard the password once and is now hearing it again.
        CallTranscript second = hotline.call(script);
        boolean firstStillOnTheLine = !first.isDone();
        CallTranscript firstCall = first.join();

        String heardFirst = HeardPasswords.remember(firstCall.digitsAfter("password-intro", 1));
        HeardPasswords.remember(second.digitsAfter("password-intro", 1));
        assertThat(firstStillOnTheLine).isTrue();
        assertThat(firstCall.promptNames()).contains("password-again", "password-notice");
        assertThat(second.promptNames()).contains("mismatch", "other-ways").doesNotContain("password-intro");
        assertThat(hotline.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                .isEqualTo(1);
        assertThat(new Argon2idPasswordHasher(new SecureRandom())
                        .verify(heardFirst.toCharArray(), hotline.passwordHash(subscriber.code())))
                .isTrue();
        assertThat(reservedBy(subscriber.code()))
                .as("released when the first call ended")
                .isNull();
    }

    @Test
    void givenSimultaneousCallsFromOneCallerIdWithDifferentWrongCodes_thenAtMostFiveLookups() throws Exception {
        String caller = hotline.freshStranger();
        List<String> otherCodes = IntStream.range(0, 12)
                .mapToObj(i -> hotline.freshSubscriber().code())
                .toList();
        List<CompletableFuture<CallTranscript>> placed;
        // With the codes' rows held, each call's verification waits inside its transaction, so the
        // calls are decided at one moment rather than one after another as their timing would have it.
        try (HeldRows held = new HeldRows(otherCodes)) {
            placed = otherCodes.stream()
                    .map(code -> CompletableFuture.supplyAsync(
                            () -> hotline.call(CallerScript.from(caller).keys(code + "#"))))
                    .toList();
            held.awaitWaiting(otherCodes.size(), Duration.ofMillis(1_500));
        }
        List<CallTranscript> calls =
                placed.stream().map(CompletableFuture::join).toList();

        assertThat(calls).allSatisfy(call -> assertThat(call.promptNames()).contains("mismatch"));
        String callerKey = PhoneNumber.fromCallerId(caller).orElseThrow().e164();
        assertThat(hotline.dsl().fetchCount(VERIFICATION_FAILURE, VERIFICATION_FAILURE.CALLER_KEY.eq(callerKey)))
                .as("lookups made")
                .isEqualTo(5);
    }

    /** Subscriber rows locked by a transaction of the test, as a slow transaction would hold them. */
    private final class HeldRows implements AutoCloseable {
        private final Connection connection;

        HeldRows(List<String> codes) throws SQLException {
            connection = hotline.hotline().database().dataSource().getConnection();
            connection.setAutoCommit(false);
            DSL.using(connection, SQLDialect.POSTGRES)
                    .selectFrom(SUBSCRIBER)
                    .where(SUBSCRIBER.BHXH_CODE.in(codes))
                    .forUpdate()
                    .fetch();
        }

        /** Until this many sessions wait for a lock, or for at most this long (statements time out at 2 s). */
        void awaitWaiting(int sessions, Duration atMost) throws InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (waiting() < sessions && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        private int waiting() {
            return ((Number) hotline.dsl()
                            .fetchValue("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"))
                    .intValue();
        }

        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }

    private static CallTranscript place(FakeAsterisk asterisk, CallerScript script) {
        try {
            return asterisk.call(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a call has put a new password in force for this code, i.e. heard it in full once. */
    private void awaitPasswordInForce(String code) throws InterruptedException {
        for (int i = 0; i < 600 && hotline.passwordHash(code) == null; i++) {
            Thread.sleep(50);
        }
        assertThat(hotline.passwordHash(code)).as("password in force").isNotNull();
    }

    private UUID reservedBy(String code) {
        return hotline.dsl()
                .select(SUBSCRIBER.RESERVED_BY_CALL)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne(SUBSCRIBER.RESERVED_BY_CALL);
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
        assertThat(call.commands())
                .allMatch(command -> command.startsWith("SET VARIABLE \"AJ_AGISTATUS\"")
                        || command.startsWith("GET FULL VARIABLE "));
        assertThat(hotline.dsl().fetchCount(CALL)).isEqualTo(before);
    }
}
