package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** Every resource a caller or a FastAGI peer can hold is bounded. */
class BoundedResourcesIT {
    private static TestHotline hotline;

    @BeforeAll
    static void startWithSmallLimits() {
        // A 3-second call and a 4-second read time-out are below what an operator may set.
        hotline = TestHotline.start(
                Map.of("IVR_AGI_MAX_CALLS", "2", "IVR_AGI_CORE_THREADS", "2", "IVR_AGI_ENVIRONMENT_TIMEOUT", "1s"),
                config -> TestHotline.agiReadTimeout(Duration.ofSeconds(4))
                        .apply(TestHotline.maxCallDuration(Duration.ofSeconds(3))
                                .apply(config)));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    private FakeAsterisk asterisk() {
        return new FakeAsterisk(
                "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(30));
    }

    @Test
    void givenACallLongerThanTheMaximum_thenItEndsPolitelyWithChargesCapped() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = asterisk()
                .inRealTime(0.2)
                .call(CallerScript.from(subscriber.phone()).silence().silence().silence());

        assertThat(call.promptNames()).endsWith("max-duration", "goodbye");
        var record = hotline.dsl()
                .selectFrom(CALL)
                .where(CALL.CALLER_ID_RECEIVED.eq(subscriber.phone()))
                .fetchOne();
        assertThat(record.getOutcome()).isEqualTo("max_duration");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
    }

    @Test
    void givenACallNearItsMaximum_thenNoWaitForTheCallerIsGivenMoreTimeThanTheCallHasLeft() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call = asterisk()
                .inRealTime(0.2)
                .call(CallerScript.from(subscriber.phone()).silence().silence().silence());

        // A GET DATA waits up to its time-out for each key; a caller keying just before each pause
        // runs out would keep it going for (keys + 1) time-outs.
        long maximumMillis = 3_000;
        for (String command : call.commands()) {
            String[] words = command.split(" ");
            if (command.startsWith("GET DATA ")) {
                long longest = Long.parseLong(words[3]) * (Long.parseLong(words[4]) + 1);
                assertThat(longest).as(command).isLessThanOrEqualTo(maximumMillis);
            } else if (command.startsWith("WAIT FOR DIGIT ")) {
                assertThat(Long.parseLong(words[3])).as(command).isLessThanOrEqualTo(maximumMillis);
            } else if (command.startsWith("RECORD FILE ")) {
                assertThat(Long.parseLong(words[5])).as(command).isLessThanOrEqualTo(maximumMillis);
            }
        }
        assertThat(call.commands()).anyMatch(command -> command.startsWith("WAIT FOR DIGIT "));
        var record = hotline.lastCallFrom(subscriber.phone());
        assertThat(record.getOutcome()).isEqualTo("max_duration");
        assertThat(record.getBilledMinutes()).isEqualTo(1);
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
    }

    @Test
    void givenLessTimeLeftThanAKeyEntryMayTake_thenKeysTakenOneByOneStillMakeTheCode() throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();

        CallTranscript call =
                asterisk().call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

        assertThat(call.commands()).noneMatch(command -> command.startsWith("GET DATA "));
        assertThat(call.commands())
                .filteredOn(command -> command.startsWith("WAIT FOR DIGIT "))
                .hasSizeGreaterThanOrEqualTo(10);
        assertThat(call.promptNames()).contains("password-intro");
        vn.vss.ivr.support.HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(hotline.passwordHash(subscriber.code())).isNotNull();
    }

    @Test
    void givenMoreCallsThanTheLimit_thenTheExtraCallerHearsUnavailableAndIsRecordedAsAnsweredAndBilled()
            throws Exception {
        Subscriber a = hotline.freshSubscriber();
        Subscriber b = hotline.freshSubscriber();
        FakeAsterisk slow = asterisk().inRealTime(0.1);
        CompletableFuture<CallTranscript> first =
                place(slow, CallerScript.from(a.phone()).silence().silence().silence());
        CompletableFuture<CallTranscript> second =
                place(slow, CallerScript.from(b.phone()).silence().silence().silence());
        for (int i = 0; i < 100 && hotline.hotline().activeCalls() < 2; i++) {
            Thread.sleep(20);
        }
        String extra = hotline.freshStranger();

        long answered = System.currentTimeMillis() - 1_500;
        CallTranscript refused = asterisk()
                .call(CallerScript.from(extra).answered(Long.toString(answered)).keys("1234567890#"));

        assertThat(refused.promptNames()).containsExactly("unavailable");
        assertThat(refused.hungUpBy()).isEqualTo(CallTranscript.HungUpBy.APP);
        // Asterisk answered the caller in the menu, and the carrier bills from then: so do we.
        CallRecord row = hotline.lastCallFrom(extra);
        assertThat(row).as("the refused call's record").isNotNull();
        assertThat(row.getOutcome()).isEqualTo("service_unavailable");
        assertThat(row.getInputMethod()).isEqualTo("none");
        assertThat(row.getAnsweredAt().toInstant()).isEqualTo(java.time.Instant.ofEpochMilli(answered));
        assertThat(row.getBilledMinutes()).isEqualTo(1);
        assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(row.getId())))
                .isEqualTo(1);
        assertThat(hotline.hotline().registry().scrape()).contains("ivr_calls_refused_total 1.0");
        first.join();
        second.join();
    }

    @Test
    void givenAPeerThatTricklesItsEnvironment_thenItIsCutOffInBoundedTime() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", hotline.hotline().agiPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            boolean cutOff = false;
            try {
                for (int i = 0; i < 40 && !cutOff; i++) {
                    out.write("agi_x: y\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(250);
                    cutOff = socket.getInputStream().available() == 0 && isClosedByPeer(socket);
                }
            } catch (SocketException reset) {
                cutOff = true;
            }
            assertThat(cutOff).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThatANormalCallStillWorks();
    }

    @Test
    void givenAnEndlessLine_thenTheConnectionIsClosedWithoutReadingItAll() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", hotline.hotline().agiPort())) {
            socket.setSoTimeout(10_000);
            byte[] chunk = "a".repeat(4_096).getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                for (int i = 0; i < 2_560; i++) {
                    socket.getOutputStream().write(chunk);
                    sent += chunk.length;
                }
            } catch (SocketException closed) {
                // the server gave up on the line
            }
            assertThat(sent).isLessThan(10L * 1024 * 1024);
        }
        assertThatANormalCallStillWorks();
    }

    @Test
    void givenGarbageBytes_thenTheServerStaysHealthy() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 6; i++) {
            try (Socket socket = new Socket("127.0.0.1", hotline.hotline().agiPort())) {
                socket.setSoTimeout(10_000);
                byte[] garbage = new byte[random.nextInt(20_000)];
                random.nextBytes(garbage);
                try {
                    socket.getOutputStream().write(garbage);
                    socket.getOutputStream().write("\n\n".getBytes(StandardCharsets.US_ASCII));
                    if (i % 3 != 0) {
                        socket.shutdownOutput(); // most peers go away; every third stays silent until the read time-out
                    }
                    drain(socket.getInputStream());
                } catch (SocketException closed) {
                    // fine: the server hung up on it
                }
            }
        }
        assertThatANormalCallStillWorks();
    }

    private static boolean isClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) != -1) {
                // discard whatever the script sent to a garbage peer, until it gives up
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server kept a garbage connection open", e);
        }
    }

    private void assertThatANormalCallStillWorks() throws Exception {
        for (int i = 0; i < 100 && hotline.hotline().activeCalls() > 0; i++) {
            Thread.sleep(50);
        }
        Subscriber subscriber = hotline.freshSubscriber();
        CallTranscript call =
                asterisk().call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        assertThat(call.promptNames()).contains("password-intro");
        vn.vss.ivr.support.HeardPasswords.remember(call.digitsAfter("password-intro", 1));
    }

    private static CompletableFuture<CallTranscript> place(FakeAsterisk asterisk, CallerScript script) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return asterisk.call(script);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
