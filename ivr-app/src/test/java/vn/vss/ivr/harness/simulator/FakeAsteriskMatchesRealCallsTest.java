package vn.vss.ivr.harness.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.vss.ivr.audio.TelephoneAudio;

/**
 * Replays whole hotline calls captured from a real Asterisk 22.10.1 running the project's own
 * dialplan (src/test/resources/asterisk-22-agi: a caller ID holding %0A or %0D, a call that ends in
 * the menu, a code spoken through RECORD FILE and confirmed with 1, a call refused over capacity, the
 * call-back leg) against the fake
 * Asterisk. The fake must write the same environment block, line for line (a forged caller ID's
 * extra lines and blank lines included; only values that differ per call are masked), and answer
 * every command the application sent with a reply of the same shape.
 */
class FakeAsteriskMatchesRealCallsTest {
    @TempDir
    static Path files;

    record Session(String name, List<String> environment, List<Exchange> exchanges) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Exchange(String command, List<String> replies) {}

    static Stream<Arguments> sessions() throws IOException {
        List<Arguments> all = new ArrayList<>();
        List<Session> injected = parse("caller-id-injection.txt");
        // Unfiltered (a dialplan without FILTER()): the raw From user reaches agi_callerid.
        all.add(Arguments.of(injected.get(0), hangsUpInTheWelcome("0912999999\nagi_callerid: 0912000007")));
        all.add(Arguments.of(injected.get(1), hangsUpInTheWelcome("0912000006\r\nEXEC Playback x")));
        all.add(Arguments.of(injected.get(2), hangsUpInTheWelcome("0912000008\n\n")));
        // The shipped dialplan: FILTER() keeps only + and digits.
        all.add(Arguments.of(injected.get(3), hangsUpInTheWelcome("09129999990912000007")));
        all.add(Arguments.of(injected.get(4), hangsUpInTheWelcome("0912000006")));
        all.add(Arguments.of(injected.get(5), hangsUpInTheWelcome("0912000008")));
        List<Session> menu = parse("menu-call.txt");
        all.add(Arguments.of(
                menu.get(0),
                CallerScript.from("0912345678")
                        .script("vssid-menu-call")
                        .answered(answeredOf(menu.get(0)))
                        .ended("")
                        .onDeadChannel()));
        List<Session> spoken = parse("spoken-answer.txt");
        all.add(Arguments.of(
                spoken.get(0),
                CallerScript.from(callerOf(spoken.get(0)))
                        .language("en")
                        .answered(answeredOf(spoken.get(0)))
                        .parameter("trunk", "sipp-test")
                        .says(speech())
                        .keys("1")
                        .silence()));
        List<Session> refused = parse("over-capacity.txt");
        all.add(Arguments.of(
                refused.get(0),
                CallerScript.from(callerOf(refused.get(0)))
                        .answered(answeredOf(refused.get(0)))
                        .parameter("trunk", "sipp-test")));
        List<Session> leg = parse("call-back-leg.txt");
        all.add(Arguments.of(
                leg.get(0),
                CallerScript.from("s")
                        .script("vssid-callback")
                        .parameter(
                                "request",
                                valueOf(leg.get(0), "agi_network_script: ")
                                        .replaceAll(".*request=([0-9a-f-]+).*", "$1"))
                        .keys("1")));
        assertThat(injected.size() + menu.size() + spoken.size() + refused.size() + leg.size())
                .as("every captured session is replayed")
                .isEqualTo(all.size());
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessions")
    void givenTheCommandsOfARealCall_thenTheFakeWritesTheSameEnvironmentAndRepliesAlike(
            Session session, CallerScript caller) throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            FakeAsterisk asterisk =
                    new FakeAsterisk("127.0.0.1", probe.getLocalPort(), anyPrompt(), Duration.ofSeconds(10));
            CompletableFuture<CallTranscript> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return asterisk.call(caller);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket socket = probe.accept()) {
                socket.setSoTimeout(10_000);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                List<String> environment = new ArrayList<>();
                for (int i = 0; i < session.environment().size(); i++) {
                    environment.add(readLine(in));
                }
                assertThat(masked(environment))
                        .as(session.name() + ": the environment block, line for line")
                        .containsExactlyElementsOf(masked(session.environment()));
                for (Exchange exchange : session.exchanges()) {
                    if (firstReply(exchange).isEmpty()) {
                        // The application closed the connection before Asterisk's reply was captured.
                        break;
                    }
                    out.write((local(exchange.command()) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String reply = readReply(in);
                    assertThat(shape(reply))
                            .as(session.name() + ": " + exchange.command())
                            .isEqualTo(shape(firstReply(exchange).orElseThrow()));
                }
            }
            call.get();
        }
    }

    private static CallerScript hangsUpInTheWelcome(String callerId) {
        // Commands: 1 GET FULL VARIABLE (end of the block), 2 ANSWER, 3 STREAM FILE welcome.
        return CallerScript.from(callerId)
                .answered("1796030791829")
                .parameter("trunk", "sipp-test")
                .hangUpAtCommand(3);
    }

    /** The reply line of a command: Asterisk's bare HANGUP notices may come before it. */
    private static Optional<String> firstReply(Exchange exchange) {
        return exchange.replies().stream()
                .filter(line -> !line.equals("HANGUP"))
                .findFirst();
    }

    private static String readReply(InputStream in) throws IOException {
        String line;
        do {
            line = readLine(in);
        } while (line.equals("HANGUP"));
        return line;
    }

    /** One line up to "\n", keeping a "\r" as Asterisk writes it raw. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Values that differ from call to call: the answer time, the port, the channel, the ids. */
    private static List<String> masked(List<String> environment) {
        return environment.stream()
                .map(line -> line.replaceAll("answered=\\d+", "answered=N")
                        .replaceAll("agi://[0-9.]+:\\d+/", "agi://HOST/")
                        .replaceAll("^agi_channel: PJSIP/sipp-test-[0-9a-f]{8}$", "agi_channel: PJSIP/sipp-test-N")
                        .replaceAll(
                                "^agi_channel: Local/s@vssid-callback-dial-[0-9a-f]{8};1$",
                                "agi_channel: Local/s@vssid-callback-dial-N;1")
                        .replaceAll("^agi_uniqueid: [0-9.]+$", "agi_uniqueid: N")
                        .replaceAll("^agi_threadid: \\d+$", "agi_threadid: N"))
                .toList();
    }

    /** File positions, leftover recording time and the echoed word depend on the call: compare shapes. */
    private static String shape(String reply) {
        return reply.replaceAll("endpos=\\d+", "endpos=N")
                .replaceAll("^200 result=\\d+ \\(timeout\\)", "200 result=N (timeout)")
                .replaceAll("^200 result=1 \\([a-z]{20}\\)$", "200 result=1 (WORD)");
    }

    /** The captured paths, as the fake's machine has them: recordings go to a temporary folder. */
    private static String local(String command) {
        return command.replace("/var/spool/vssid/recordings/", files.resolve("recordings") + "/");
    }

    private static Function<String, Optional<Path>> anyPrompt() throws IOException {
        Path prompt = files.resolve("prompt.wav");
        if (!Files.exists(prompt)) {
            Files.write(prompt, TelephoneAudio.wav(new short[8000]));
        }
        return name -> name.startsWith("/var/lib/vssid/sounds/") ? Optional.of(prompt) : Optional.empty();
    }

    private static Path speech() throws IOException {
        Path speech = files.resolve("spoken-code.wav");
        if (!Files.exists(speech)) {
            short[] samples = new short[8000 * 4];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            }
            Files.write(speech, TelephoneAudio.wav(samples));
        }
        return speech;
    }

    private static String answeredOf(Session session) {
        return valueOf(session, "agi_network_script: ").replaceAll(".*answered=(\\d+).*", "$1");
    }

    private static String callerOf(Session session) {
        return valueOf(session, "agi_callerid: ");
    }

    private static String valueOf(Session session, String prefix) {
        return session.environment().stream()
                .filter(line -> line.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length());
    }

    /**
     * Sessions as captured: "[N] -- connection" starts one, "[N] << line" is what Asterisk sent, "[N]
     * >> line" what the application sent; '' is an empty line and \r a carriage return inside one.
     */
    static List<Session> parse(String file) throws IOException {
        List<Session> sessions = new ArrayList<>();
        try (InputStream in = FakeAsteriskMatchesRealCallsTest.class.getResourceAsStream("/asterisk-22-agi/" + file)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            List<String> environment = null;
            List<Exchange> exchanges = null;
            for (String raw : lines) {
                String line = raw.replaceFirst("^\\[\\d+] ", "");
                if (line.startsWith("-- connection")) {
                    environment = new ArrayList<>();
                    exchanges = new ArrayList<>();
                    sessions.add(new Session(file + " #" + (sessions.size() + 1), environment, exchanges));
                } else if (line.startsWith(">> ")) {
                    exchanges.add(new Exchange(line.substring(3), new ArrayList<>()));
                } else if (line.startsWith("<< ")) {
                    String value = line.substring(3);
                    value = value.equals("''") ? "" : value.replace("\\r", "\r");
                    if (exchanges.isEmpty()) {
                        environment.add(value);
                    } else {
                        exchanges.get(exchanges.size() - 1).replies().add(value);
                    }
                }
            }
        }
        return sessions;
    }
}
