package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * The FastAGI door under hostile input, through the real server over TCP: half-open connections
 * from the allowed address, a full call pool, refused peers by the hundred, and environment blocks
 * with lines added through the caller ID (as Asterisk writes a From user holding {@code %0A}).
 */
class FastAgiFrontDoorIT {
    private static final AtomicUniqueIds UNIQUE_IDS = new AtomicUniqueIds();
    private static TestHotline hotline;

    @BeforeAll
    static void startWithTheProductionCallLimit() {
        hotline = TestHotline.start(Map.of("IVR_AGI_MAX_CALLS", "100"));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenThousandsOfHalfOpenConnectionsFromTheAllowedPeer_thenARealCallIsStillServed() throws Exception {
        List<Socket> halfOpen = new ArrayList<>();
        try {
            for (int i = 0; i < 2_700; i++) {
                Socket socket = new Socket("127.0.0.1", hotline.hotline().agiPort());
                socket.getOutputStream().write("agi_network: yes\n".getBytes(StandardCharsets.US_ASCII));
                halfOpen.add(socket);
            }
            Subscriber subscriber = hotline.freshSubscriber();

            CallTranscript call =
                    hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

            assertThat(call.promptNames()).contains("password-intro", "goodbye");
            HeardPasswords.remember(call.digitsAfter("password-intro", 1));
            assertThat(hotline.passwordHash(subscriber.code())).isNotNull();
            CallRecord record = hotline.lastCallFrom(subscriber.phone());
            assertThat(record.getOutcome()).isEqualTo("password_heard");
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            // The oldest half-open connections were pushed out with FAILURE, which Asterisk turns into
            // its "unavailable" prompt, rather than closed in silence.
            halfOpen.get(0).setSoTimeout(5_000);
            String firstAnswer = new BufferedReader(
                            new InputStreamReader(halfOpen.get(0).getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(firstAnswer).isEqualTo("FAILURE");
            assertThat(counter("ivr_agi_connections_failed_total{reason=\"too_many_waiting\"}"))
                    .isGreaterThanOrEqualTo(2_700 - 256);
        } finally {
            for (Socket socket : halfOpen) {
                socket.close();
            }
        }
    }

    @Test
    void givenEveryCallThreadBusy_thenAsteriskIsAnsweredFailureAtOnceAndNothingIsRecorded() throws Exception {
        // One call and 64 refusals fill the pool; a 30-second read time-out lets them be held.
        TestHotline full = TestHotline.start(
                Map.of("IVR_AGI_MAX_CALLS", "1", "IVR_AGI_CORE_THREADS", "1"),
                TestHotline.agiReadTimeout(Duration.ofSeconds(30)));
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 65; i++) {
                stalled.add(stallAfterTheHandshake(full, full.freshStranger()));
            }
            for (int i = 0; i < 200 && full.hotline().activeCalls() < 65; i++) {
                Thread.sleep(25);
            }
            assertThat(full.hotline().activeCalls()).isEqualTo(65);
            String caller = full.freshStranger();

            CallTranscript call = full.call(CallerScript.from(caller).keys("1234567890#"));

            assertThat(call.endedWithAgiFailure()).isTrue();
            assertThat(call.commands()).hasSize(2).last().isEqualTo("FAILURE");
            assertThat(full.dsl().fetchCount(CALL, CALL.CALLER_ID_RECEIVED.eq(caller)))
                    .isZero();
            assertThat(full.hotline().registry().scrape())
                    .contains("ivr_agi_connections_failed_total{reason=\"no_call_thread\"} 1.0");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
            full.close();
        }
    }

    @Test
    void givenFiveHundredRefusedConnections_thenTheLogSaysSoOnceAndTheMetricCountsEach() throws Exception {
        TestHotline guarded = TestHotline.start(Map.of("IVR_AGI_ALLOWED_PEERS", "192.0.2.10"));
        try {
            int linesBefore = guarded.logs().lines().size();
            for (int i = 0; i < 500; i++) {
                try (Socket socket = new Socket("127.0.0.1", guarded.hotline().agiPort())) {
                    socket.setSoTimeout(2_000);
                    assertThat(socket.getInputStream().read()).isEqualTo(-1);
                } catch (java.net.SocketException reset) {
                    // refused with a reset
                }
            }
            for (int i = 0;
                    i < 100 && !guarded.hotline().registry().scrape().contains("ivr_agi_peers_refused_total 500.0");
                    i++) {
                Thread.sleep(50);
            }

            assertThat(guarded.hotline().registry().scrape()).contains("ivr_agi_peers_refused_total 500.0");
            List<String> refusalLines =
                    guarded
                            .logs()
                            .lines()
                            .subList(linesBefore, guarded.logs().lines().size())
                            .stream()
                            .filter(line -> line.contains("refused") && line.contains("FastAGI connection"))
                            .toList();
            assertThat(refusalLines).hasSize(1);
            assertThat(refusalLines.get(0)).contains("127.0.0.1", "IVR_AGI_ALLOWED_PEERS", "summarised");
        } finally {
            guarded.close();
        }
    }

    /**
     * Caller IDs as Asterisk writes them into {@code agi_callerid} when the SIP From user holds
     * {@code %0A} or {@code %0D}; {@code %s} is the number of the subscriber whose code is keyed.
     */
    static Stream<Arguments> forgedEnvironments() {
        return Stream.of(
                Arguments.of("a second agi_callerid", "%2$s\nagi_callerid: %1$s", "repeated_key"),
                Arguments.of("a line that is no key", "%1$s\nEXEC Playback tt-monkeys", "malformed_line"),
                Arguments.of("a carriage return", "%1$s\r", "control_character"),
                Arguments.of("an early blank line", "%1$s\n\n", "missing_key"),
                Arguments.of("a whole block of its own", "%1$s\n" + restOfTheBlock() + "\n", "lines_after_end"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedEnvironments")
    void givenAnEnvironmentWithLinesAddedThroughTheCallerId_thenTheCallNeverVerifiesAndIsRecordedAnswered(
            String name, String forged, String reason) {
        Subscriber subscriber = hotline.freshSubscriber();
        String uniqueId = UNIQUE_IDS.next();
        String callerId = forged.formatted(subscriber.phone(), hotline.freshStranger());
        double rejectedBefore = counter("ivr_agi_environment_rejected_total{reason=\"" + reason + "\"}");

        CallTranscript call =
                hotline.call(CallerScript.from(callerId).uniqueId(uniqueId).keys(subscriber.code() + "#"));

        assertThat(call.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
        CallRecord record = hotline.dsl()
                .selectFrom(CALL)
                .where(CALL.ASTERISK_UNIQUEID.eq(uniqueId))
                .fetchOne();
        assertThat(record.getOutcome()).isEqualTo("not_verified");
        assertThat(record.getCallerIdE164()).isNull();
        assertThat(record.getAnsweredAt()).isNotNull();
        assertThat(record.getBilledMinutes()).isEqualTo(1);
        assertThat(hotline.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                .isEqualTo(1);
        assertThat(counter("ivr_agi_environment_rejected_total{reason=\"" + reason + "\"}"))
                .isEqualTo(rejectedBefore + 1);
        assertThat(hotline.logs().all())
                .contains("refused the AGI environment block")
                .doesNotContain(subscriber.phone());
    }

    @Test
    void givenAForgedCallAndAnHonestOne_thenTheyHearTheSameWordsAsAWrongNumber() {
        Subscriber subscriber = hotline.freshSubscriber();
        CallTranscript forged =
                hotline.call(CallerScript.from(hotline.freshStranger() + "\nagi_callerid: " + subscriber.phone())
                        .keys(subscriber.code() + "#"));
        CallTranscript wrongNumber =
                hotline.call(CallerScript.from(hotline.freshStranger()).keys(subscriber.code() + "#"));

        assertThat(forged.promptNames()).isEqualTo(wrongNumber.promptNames());
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
    }

    /** What Asterisk writes after agi_callerid, as the fake Asterisk does. */
    private static String restOfTheBlock() {
        return String.join(
                "\n",
                "agi_calleridname: Simulated Caller",
                "agi_callingpres: 0",
                "agi_callingani2: 0",
                "agi_callington: 0",
                "agi_callingtns: 0",
                "agi_dnid: 19009068",
                "agi_rdnis: unknown",
                "agi_context: hotline",
                "agi_extension: 8",
                "agi_priority: 2",
                "agi_enhanced: 0.0",
                "agi_accountcode: ",
                "agi_threadid: 140361478305999",
                "");
    }

    /** A peer that sends a whole block, answers the gate's echo, then says nothing more. */
    private static Socket stallAfterTheHandshake(TestHotline target, String callerId) throws IOException {
        Socket socket = new Socket("127.0.0.1", target.hotline().agiPort());
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        String block = String.join(
                        "\n",
                        "agi_network: yes",
                        "agi_network_script: vssid-reset?lang=vi",
                        "agi_request: agi://127.0.0.1/vssid-reset?lang=vi",
                        "agi_channel: PJSIP/trunk-00000001",
                        "agi_language: en",
                        "agi_type: PJSIP",
                        "agi_uniqueid: " + UNIQUE_IDS.next(),
                        "agi_version: 22.10.1",
                        "agi_callerid: " + callerId)
                + "\n" + restOfTheBlock() + "\n";
        out.write(block.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String question = in.readLine();
        assertThat(question).startsWith("GET FULL VARIABLE ");
        out.write(("200 result=1 (" + question.substring("GET FULL VARIABLE ".length()) + ")\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static double counter(String series) {
        return hotline.hotline()
                .registry()
                .scrape()
                .lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    /** Asterisk-shaped unique ids that no other call of this test uses. */
    private static final class AtomicUniqueIds {
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        String next() {
            return "1795400000." + (ProcessHandle.current().pid() % 1000) + next.incrementAndGet();
        }
    }
}
