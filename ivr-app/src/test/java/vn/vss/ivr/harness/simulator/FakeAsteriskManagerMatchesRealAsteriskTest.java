package vn.vss.ivr.harness.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager.Outcome;

/**
 * Replays what a client sent to a real Asterisk 22.10.1's manager (src/test/resources/asterisk-22-ami,
 * captured by a TCP proxy: ivr-app's asterisk-java connection placing call-backs, a refused login, a
 * number the dialplan refused) against {@link FakeAsteriskManager}, and expects the fake to answer
 * message for message, header for header, as Asterisk did. Only values that differ from run to run
 * are compared by shape: the challenge, the Local channel's number and the Uniqueid. Events Asterisk
 * sent for another client's Originate are left out: the fake serves each connection alone.
 */
class FakeAsteriskManagerMatchesRealAsteriskTest {
    private static final String SECRET = "replay-secret-0123456789";

    record Message(boolean fromApp, List<String> lines) {
        String header(String name) {
            return lines.stream()
                    .filter(line -> line.toLowerCase().startsWith(name.toLowerCase() + ":"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse(null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"call-backs.txt", "login-refused.txt", "number-refused-by-dialplan.txt"})
    void givenWhatAClientSentToARealAsterisk_thenTheFakeAnswersAlike(String file) throws Exception {
        List<String> raw = read(file);
        String banner = raw.stream()
                .filter(line -> line.startsWith("ast> Asterisk Call Manager/"))
                .findFirst()
                .orElseThrow();
        List<Message> messages = messages(raw);
        Set<String> appActionIds = new HashSet<>();
        messages.stream().filter(Message::fromApp).forEach(m -> appActionIds.add(m.header("actionid")));
        Map<String, Outcome> phones = outcomesOfTheCapture(messages);

        try (FakeAsteriskManager fake = new FakeAsteriskManager(
                        "vssid-callback",
                        SECRET,
                        originate -> phones.get(originate.variable("VSSID_CALLBACK_NUMBER")));
                Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat("ast> " + readLine(in)).as(file + ": the banner").isEqualTo(banner);
            String challenge = null;
            int replays = 0;
            for (int i = 0; i < messages.size(); i++) {
                Message sent = messages.get(i);
                if (!sent.fromApp()) {
                    continue;
                }
                send(out, sent, challenge);
                replays++;
                for (int j = i + 1; j < messages.size() && !messages.get(j).fromApp(); j++) {
                    Message expected = messages.get(j);
                    if (!appActionIds.contains(expected.header("ActionID"))) {
                        continue; // an event of another client's Originate
                    }
                    List<String> got = readMessage(in);
                    assertThat(shape(got))
                            .as(file + ": Asterisk's answer to " + sent.lines().get(0) + " " + sent.header("actionid"))
                            .containsExactlyElementsOf(shape(expected.lines()));
                    if (expected.header("Challenge") != null) {
                        challenge = new Message(false, got).header("Challenge");
                    }
                }
            }
            assertThat(replays).as("messages replayed").isPositive();
            int asteriskCloses = raw.indexOf("ast> (closes the connection)");
            int appCloses = raw.indexOf("app> (closes the connection)");
            if (asteriskCloses >= 0 && (appCloses < 0 || asteriskCloses < appCloses)) {
                assertThat(in.readLine())
                        .as(file + ": Asterisk closed the connection")
                        .isNull();
            }
        }
    }

    /** What each called phone did in the capture, from the Reason of its OriginateResponse. */
    private static Map<String, Outcome> outcomesOfTheCapture(List<Message> messages) {
        Map<String, String> numberOfAction = new HashMap<>();
        Map<String, Outcome> phones = new HashMap<>();
        for (Message message : messages) {
            if (message.fromApp() && "Originate".equalsIgnoreCase(message.header("action"))) {
                String number = message.lines().stream()
                        .filter(line -> line.toLowerCase().startsWith("variable: vssid_callback_number="))
                        .map(line -> line.substring(line.indexOf('=') + 1))
                        .findFirst()
                        .orElse("");
                numberOfAction.put(message.header("actionid"), number);
            }
            if (!message.fromApp() && "OriginateResponse".equals(message.header("Event"))) {
                String number = numberOfAction.get(message.header("ActionID"));
                switch (message.header("Reason")) {
                    case "4" -> phones.put(number, Outcome.ANSWERED);
                    case "5" -> phones.put(number, Outcome.BUSY);
                    case "3" -> phones.put(number, Outcome.NO_ANSWER);
                    default -> {
                        // Reason 0: the dialplan refused the number before any call; the fake checks it too.
                    }
                }
            }
        }
        return phones;
    }

    private static void send(OutputStream out, Message message, String challenge) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : message.lines()) {
            String value = line;
            if (line.toLowerCase().startsWith("key:") && line.contains("<MD5")) {
                value = "key: " + FakeAsteriskManager.md5(challenge + SECRET);
            } else if (line.toLowerCase().startsWith("secret:")) {
                value = "Secret: " + SECRET;
            }
            text.append(value).append("\r\n");
        }
        text.append("\r\n");
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> shape(List<String> lines) {
        return lines.stream()
                .map(line -> line.replaceAll("^Challenge: \\d+$", "Challenge: N")
                        .replaceAll(
                                "^Channel: Local/s@vssid-callback-dial-[0-9a-f]{8};1$",
                                "Channel: Local/s@vssid-callback-dial-N;1")
                        .replaceAll("^Uniqueid: [0-9]+\\.[0-9]+$", "Uniqueid: N"))
                .toList();
    }

    private static List<String> readMessage(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    /** One line; every line of the fake must end with CR LF, as Asterisk's do. */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                assertThat(line.toString()).as("a line ends with CR LF").endsWith("\r");
                return line.substring(0, line.length() - 1);
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** Messages in capture order (the banner, a message of its own without an empty line, left out). */
    private static List<Message> messages(List<String> raw) {
        List<Message> messages = new ArrayList<>();
        List<String> app = new ArrayList<>();
        List<String> ast = new ArrayList<>();
        for (String line : raw) {
            boolean fromApp = line.startsWith("app> ");
            if (!fromApp && !line.startsWith("ast> ") || line.contains("(closes the connection)")) {
                continue;
            }
            String value = line.substring(5);
            if (!fromApp && value.startsWith("Asterisk Call Manager/")) {
                continue;
            }
            List<String> current = fromApp ? app : ast;
            if (value.isEmpty()) {
                messages.add(new Message(fromApp, List.copyOf(current)));
                current.clear();
            } else {
                current.add(value);
            }
        }
        return messages;
    }

    private static List<String> read(String file) throws IOException {
        try (InputStream in =
                FakeAsteriskManagerMatchesRealAsteriskTest.class.getResourceAsStream("/asterisk-22-ami/" + file)) {
            return Stream.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.startsWith("#"))
                    .toList();
        }
    }
}
