package vn.vss.ivr.harness.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A fake Asterisk manager (AMI) speaking the wire protocol as a real Asterisk 22.10.1 does with the
 * hotline's manager.conf (see {@code src/test/resources/asterisk-22-ami/} of ivr-app): the banner,
 * MD5 challenge and login, "Permission denied" for every action but Originate, an asynchronous
 * Originate answered "successfully queued" and later told in an {@code OriginateResponse} event,
 * and Logoff. The call itself is decided by {@code outcomes} (what the citizen's phone does), after
 * the dialplan's own check of the number ({@code [vssid-callback-dial]}: a number that is not a
 * Vietnamese E.164 one ends as Reason 0 without any call).
 */
public final class FakeAsteriskManager implements AutoCloseable {
    /** What the called phone does. */
    public enum Outcome {
        ANSWERED(4),
        BUSY(5),
        NO_ANSWER(3);

        private final int reason;

        Outcome(int reason) {
            this.reason = reason;
        }
    }

    /** One Originate as received: its headers (lower-case names) and variables. */
    public record Originate(Map<String, String> headers, Map<String, String> variables) {
        public String variable(String name) {
            return variables.get(name);
        }
    }

    public static final String BANNER = "Asterisk Call Manager/11.0.0";
    /** The pattern of the dialplan's REGEX() before Dial(). */
    private static final Pattern DIALLABLE = Pattern.compile("^[+]84([35789][0-9]{8}|2[0-9]{9})$");

    private final String user;
    private final String secret;
    private final Function<Originate, Outcome> outcomes;
    private final ServerSocket server;
    private final BlockingQueue<Originate> originates = new LinkedBlockingQueue<>();
    private final List<String> refusedNumbers = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger channels = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    public FakeAsteriskManager(String user, String secret, Function<Originate, Outcome> outcomes) throws IOException {
        this.user = user;
        this.secret = secret;
        this.outcomes = outcomes;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-ami");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Originates received so far, in order, each taken once. */
    public BlockingQueue<Originate> originates() {
        return originates;
    }

    /** Numbers the dialplan's check refused (no call placed). */
    public List<String> refusedNumbers() {
        return List.copyOf(refusedNumbers);
    }

    public int logins() {
        return logins.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> serve(socket), "fake-ami-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            send(out, List.of(BANNER));
            String challenge = null;
            boolean loggedIn = false;
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, String> variables = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                        String value = line.substring(colon + 1).strip();
                        if (name.equals("variable")) {
                            int equals = value.indexOf('=');
                            variables.put(value.substring(0, Math.max(0, equals)), value.substring(equals + 1));
                        } else {
                            headers.put(name, value);
                        }
                    }
                    continue;
                }
                String action = headers.getOrDefault("action", "").toLowerCase(Locale.ROOT);
                String actionId = headers.get("actionid");
                switch (action) {
                    case "challenge" -> {
                        challenge = String.valueOf(100_000_000 + random.nextInt(900_000_000));
                        send(out, response(actionId, "Response: Success", "Challenge: " + challenge));
                    }
                    case "login" -> {
                        // MD5 of the challenge and the secret, or the plain secret (a hand-written client).
                        loggedIn = user.equals(headers.get("username"))
                                && (challenge != null && md5(challenge + secret).equals(headers.get("key"))
                                        || secret.equals(headers.get("secret")));
                        if (loggedIn) {
                            logins.incrementAndGet();
                            send(out, response(actionId, "Response: Success", "Message: Authentication accepted"));
                        } else {
                            send(out, response(actionId, "Response: Error", "Message: Authentication failed"));
                            return;
                        }
                    }
                    case "logoff" -> {
                        send(out, response(actionId, "Response: Goodbye", "Message: Thanks for all the fish."));
                        return;
                    }
                    case "originate" -> {
                        if (!loggedIn) {
                            send(out, response(actionId, "Response: Error", "Message: Permission denied"));
                        } else {
                            originate(out, actionId, new Originate(Map.copyOf(headers), Map.copyOf(variables)));
                        }
                    }
                    default -> send(out, response(actionId, "Response: Error", "Message: Permission denied"));
                }
                headers.clear();
                variables.clear();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void originate(OutputStream out, String actionId, Originate originate) throws IOException {
        send(out, response(actionId, "Response: Success", "Message: Originate successfully queued"));
        String number = originate.variable("VSSID_CALLBACK_NUMBER");
        String channel = originate.headers().getOrDefault("channel", "");
        String context = originate.headers().getOrDefault("context", "");
        String exten = originate.headers().getOrDefault("exten", "");
        if (number == null || !DIALLABLE.matcher(number).matches()) {
            refusedNumbers.add(String.valueOf(number));
            send(out, event(actionId, "Failure", channel, context, exten, 0, "<unknown>"));
            return;
        }
        originates.add(originate);
        Outcome outcome = outcomes.apply(originate);
        if (outcome == Outcome.ANSWERED) {
            int n = channels.incrementAndGet();
            String local = channel.replace("/n", "")
                            .replace(
                                    "Local/s@vssid-callback-dial",
                                    "Local/s@vssid-callback-dial-" + String.format("%08x", n))
                    + ";1";
            send(out, event(actionId, "Success", local, context, exten, outcome.reason, "1796039141." + n));
        } else {
            send(out, event(actionId, "Failure", channel, context, exten, outcome.reason, "<unknown>"));
        }
    }

    private static List<String> response(String actionId, String response, String detail) {
        List<String> lines = new ArrayList<>();
        lines.add(response);
        if (actionId != null) {
            lines.add("ActionID: " + actionId);
        }
        lines.add(detail);
        return lines;
    }

    private static List<String> event(
            String actionId,
            String response,
            String channel,
            String context,
            String exten,
            int reason,
            String uniqueId) {
        return List.of(
                "Event: OriginateResponse",
                "Privilege: call,all",
                "ActionID: " + actionId,
                "Response: " + response,
                "Channel: " + channel,
                "Context: " + context,
                "Exten: " + exten,
                "Reason: " + reason,
                "Uniqueid: " + uniqueId,
                "CallerIDNum: <unknown>",
                "CallerIDName: <unknown>");
    }

    /** One message: its lines, each ended by CR LF, and a blank line (the banner has no blank line). */
    private static synchronized void send(OutputStream out, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        if (!(lines.size() == 1 && lines.get(0).equals(BANNER))) {
            text.append("\r\n");
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
