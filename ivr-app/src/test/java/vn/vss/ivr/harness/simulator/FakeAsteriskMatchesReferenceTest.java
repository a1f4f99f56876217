package vn.vss.ivr.harness.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * Replays every session captured from a real Asterisk 22 (src/test/resources/asterisk-22-agi) against
 * the fake Asterisk: the same commands, sent by a probe standing in for the FastAGI server, must
 * get the same replies line for line (file positions, which depend on the audio, compared by shape).
 */
class FakeAsteriskMatchesReferenceTest {
    @TempDir
    static Path sounds;

    /** One captured session: the environment keys, and each command with the reply lines. */
    record Session(String name, List<String> environmentKeys, List<Exchange> exchanges) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Exchange(String command, List<String> reply) {}

    static Stream<Arguments> sessions() throws IOException {
        List<Arguments> all = new ArrayList<>();
        List<Session> main = parse("main-call.txt");
        all.add(Arguments.of(
                main.get(0),
                CallerScript.from("0912345678").keys("1234567890").keys("5").silence()));
        List<Session> early = parse("early.txt");
        all.add(Arguments.of(early.get(0), CallerScript.from("0912345678").hangUpAtCommand(3)));
        all.add(Arguments.of(early.get(1), CallerScript.from("0912345678").hangUp()));
        all.add(Arguments.of(
                early.get(2), CallerScript.from("0912345678").silence().hangUp()));
        all.add(Arguments.of(
                early.get(3),
                CallerScript.from("0912345678").silence().silence().hangUp()));
        List<Session> variants = parse("variants.txt");
        all.add(Arguments.of(
                variants.get(0),
                CallerScript.from("0912345678").keys("1234").keys("#").keys("#")));
        assertThat(main.size() + early.size() + variants.size()).isEqualTo(all.size());
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessions")
    void givenTheCommandsOfACapturedSession_thenTheFakeRepliesAsAsterisk22Did(Session session, CallerScript caller)
            throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            FakeAsterisk asterisk =
                    new FakeAsterisk("127.0.0.1", probe.getLocalPort(), soundFiles(), Duration.ofSeconds(10));
            CompletableFuture<CallTranscript> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return asterisk.call(caller);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket socket = probe.accept()) {
                socket.setSoTimeout(5_000);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                assertThat(readEnvironmentKeys(in)).isEqualTo(session.environmentKeys());
                for (Exchange exchange : session.exchanges()) {
                    out.write((exchange.command() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    List<String> reply = new ArrayList<>();
                    for (int i = 0; i < exchange.reply().size(); i++) {
                        reply.add(shape(in.readLine()));
                    }
                    assertThat(reply)
                            .as(session.name() + ": " + exchange.command())
                            .isEqualTo(exchange.reply().stream()
                                    .map(FakeAsteriskMatchesReferenceTest::shape)
                                    .toList());
                }
            }
            call.get();
        }
    }

    private static List<String> readEnvironmentKeys(BufferedReader in) throws IOException {
        List<String> keys = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            keys.add(line.substring(0, line.indexOf(':')));
        }
        return keys;
    }

    /** File positions and leftover recording time depend on the audio: compare their shape. */
    private static String shape(String reply) {
        return reply == null
                ? null
                : reply.replaceAll("endpos=\\d+", "endpos=N")
                        .replaceAll("^200 result=\\d+ \\(timeout\\)", "200 result=N (timeout)");
    }

    private static Function<String, Optional<Path>> soundFiles() throws IOException {
        Path hello = sounds.resolve("hello.wav");
        Path beep = sounds.resolve("beep.wav");
        Files.write(hello, TelephoneAudio.wav(new short[15221]));
        Files.write(beep, TelephoneAudio.wav(new short[2000]));
        return name -> switch (name) {
            case "custom/hello" -> Optional.of(hello);
            case "beep" -> Optional.of(beep);
            default -> Optional.empty();
        };
    }

    static List<Session> parse(String file) throws IOException {
        List<Session> sessions = new ArrayList<>();
        try (InputStream in = FakeAsteriskMatchesReferenceTest.class.getResourceAsStream("/asterisk-22-agi/" + file)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            List<String> environment = null;
            List<Exchange> exchanges = null;
            boolean inEnvironment = false;
            for (String raw : lines) {
                String line = raw.replaceFirst("^\\[\\d+] ", "");
                if (line.startsWith("-- connection from")) {
                    environment = new ArrayList<>();
                    exchanges = new ArrayList<>();
                    sessions.add(new Session(file + " #" + (sessions.size() + 1), environment, exchanges));
                    inEnvironment = true;
                } else if (line.startsWith("<< ") && inEnvironment) {
                    String value = line.substring(3);
                    if (value.equals("''")) {
                        inEnvironment = false;
                    } else {
                        environment.add(value.substring(0, value.indexOf(':')));
                    }
                } else if (line.startsWith(">> ")) {
                    exchanges.add(new Exchange(line.substring(3), new ArrayList<>()));
                } else if (line.startsWith("<< ")) {
                    exchanges.get(exchanges.size() - 1).reply().add(line.substring(3));
                }
            }
        }
        return sessions;
    }
}
