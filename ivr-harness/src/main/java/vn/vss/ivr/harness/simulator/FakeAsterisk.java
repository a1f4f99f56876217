package vn.vss.ivr.harness.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import vn.vss.ivr.audio.TelephoneAudio;

/**
 * Plays Asterisk 22's side of a FastAGI session, as captured from a real Asterisk (see the
 * reference transcripts): the {@code agi_} environment block, {@code 200 result=...} replies,
 * {@code 510} for unknown commands, {@code 520} usage for bad syntax, the asynchronous
 * {@code HANGUP} line and {@code 511} on a dead channel. The caller follows a {@link CallerScript}.
 *
 * <p>Time is simulated: each prompt lasts as long as its audio file, each key press
 * {@link #KEY_INTERVAL}, each time-out its full length, and the app's own processing time between
 * commands is added as measured. The billed time is what the caller would pay for.
 */
public final class FakeAsterisk {
    public static final Duration KEY_INTERVAL = Duration.ofMillis(300);
    public static final Duration ANSWER_TIME = Duration.ofMillis(500);
    private static final String DEAD_CHANNEL = "511 Command Not Permitted on a dead channel or intercept routine";
    private static final String UNKNOWN_COMMAND = "510 Invalid or unknown command";
    private static final int MAX_COMMANDS = 5_000;
    /** Standard deviation of an idle line's hiss, in 16-bit sample units (about -70 dBFS). */
    private static final double LINE_HISS = 10;

    private static final AtomicLong SEQUENCE = new AtomicLong(1);
    private static final Map<Path, Duration> DURATIONS = new ConcurrentHashMap<>();

    private final String host;
    private final int port;
    private final Function<String, Optional<Path>> soundFiles;
    private final Duration readTimeout;
    private final double realTimeScale;

    /**
     * @param soundFiles maps a STREAM FILE name (as the app sends it) to the local audio file
     */
    public FakeAsterisk(String host, int port, Function<String, Optional<Path>> soundFiles, Duration readTimeout) {
        this.host = host;
        this.port = port;
        this.soundFiles = soundFiles;
        this.readTimeout = readTimeout;
        this.realTimeScale = 0;
    }

    private FakeAsterisk(FakeAsterisk other, double realTimeScale) {
        this.host = other.host;
        this.port = other.port;
        this.soundFiles = other.soundFiles;
        this.readTimeout = other.readTimeout;
        this.realTimeScale = realTimeScale;
    }

    /**
     * The same fake, but each prompt, key press and time-out also takes {@code scale} times its
     * length in real time (1.0 = as slow as a real caller), for tests and load runs that need calls
     * to be in progress for a while.
     */
    public FakeAsterisk inRealTime(double scale) {
        return new FakeAsterisk(this, scale);
    }

    /** Sound names are local paths without the {@code .wav} extension (app and Asterisk share the directory). */
    public static Function<String, Optional<Path>> sameDirectory() {
        return name -> {
            Path file = Path.of(name + ".wav");
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        };
    }

    /** Places one call and returns when the app closes the connection. */
    public CallTranscript call(CallerScript script) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            return new Session(script, socket).run();
        }
    }

    private final class Session {
        private final CallerScript script;
        private final Socket socket;
        private final Deque<CallerScript.Action> actions;
        private final List<String> commands = new ArrayList<>();
        private final List<CallTranscript.Heard> heard = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<Long> stepNanos = new ArrayList<>();
        private final Map<String, String> variables = new java.util.HashMap<>();
        private final long sequence = SEQUENCE.getAndIncrement();
        private OutputStream out;
        private long virtualMillis;
        private long answeredAt = -1;
        private long endedAt = -1;
        private boolean dead;
        private boolean hangupNoticePending;
        private CallTranscript.HungUpBy hungUpBy = CallTranscript.HungUpBy.NOBODY;

        Session(CallerScript script, Socket socket) {
            this.script = script;
            this.socket = socket;
            this.actions = new ArrayDeque<>(script.actions());
        }

        CallTranscript run() throws IOException {
            out = socket.getOutputStream();
            if (script.deadChannel()) {
                // The hang-up handler: Asterisk answered long ago and the caller has gone.
                answeredAt = 0;
                markCallerGone();
            }
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            writeEnvironment();
            long lastReplyAt = System.nanoTime();
            String line;
            try {
                while ((line = in.readLine()) != null) {
                    long appTook = System.nanoTime() - lastReplyAt;
                    if (!commands.isEmpty()) {
                        stepNanos.add(appTook);
                    }
                    if (!dead) {
                        virtualMillis += appTook / 1_000_000;
                    }
                    commands.add(line);
                    if (line.regionMatches(true, 0, "failure", 0, 7)) {
                        // res_agi ends the AGI here with AGISTATUS=FAILURE: the dialplan plays "unavailable".
                        notes.add(CallTranscript.AGI_FAILURE);
                        break;
                    }
                    if (commands.size() > MAX_COMMANDS) {
                        notes.add("more than " + MAX_COMMANDS + " commands: the fake Asterisk hung up");
                        break;
                    }
                    // The HANGUP notice of an earlier hang-up arrives just before the next reply.
                    boolean noticeDue = hangupNoticePending;
                    List<String> reply = respond(line, commands.size());
                    if (noticeDue) {
                        hangupNoticePending = false;
                        reply.add(0, "HANGUP");
                    }
                    write(reply);
                    lastReplyAt = System.nanoTime();
                }
            } catch (java.net.SocketException e) {
                notes.add("connection closed by the app");
            } catch (java.net.SocketTimeoutException e) {
                notes.add("the app sent nothing for " + readTimeout.toSeconds() + " s");
            }
            if (endedAt < 0) {
                endedAt = virtualMillis;
            }
            Duration billed = answeredAt < 0 ? Duration.ZERO : Duration.ofMillis(endedAt - answeredAt);
            return new CallTranscript(commands, heard, answeredAt >= 0, hungUpBy, billed, notes, stepNanos);
        }

        private void writeEnvironment() throws IOException {
            String uniqueId = script.uniqueId().orElse("1795303165." + sequence);
            // The call-back leg is the answered half of the Local channel ivr-app originated over AMI;
            // its dialplan ([vssid-callback-leg]) puts the request before the language.
            boolean leg = "vssid-callback".equals(script.script());
            String networkScript = leg
                    ? script.script() + "?" + String.join("&", script.parameters()) + "&lang=" + script.language()
                    : script.script() + "?lang=" + script.language()
                            + script.answered().map(a -> "&answered=" + a).orElse("")
                            + script.ended().map(e -> "&ended=" + e).orElse("")
                            + script.parameters().stream()
                                    .map(p -> "&" + p)
                                    .collect(java.util.stream.Collectors.joining());
            List<String> env = new ArrayList<>();
            env.add("agi_network: yes");
            env.add("agi_network_script: " + networkScript);
            env.add("agi_request: agi://127.0.0.1:" + port + "/" + networkScript);
            env.add("agi_channel: "
                    + (leg
                            ? "Local/s@vssid-callback-dial-" + String.format("%08x", sequence) + ";1"
                            : "PJSIP/sipp-test-" + String.format("%08x", sequence)));
            env.add("agi_language: " + script.language());
            env.add("agi_type: " + (leg ? "Local" : "PJSIP"));
            env.add("agi_uniqueid: " + uniqueId);
            env.add("agi_version: 22.10.1");
            // Written raw, as Asterisk does: a caller ID holding "\n" (a From user with %0A) adds lines.
            env.add("agi_callerid: " + script.callerId());
            // The hotline's dialplan empties the caller name before any AGI call.
            env.add("agi_calleridname: unknown");
            env.add("agi_callingpres: 0");
            env.add("agi_callingani2: 0");
            env.add("agi_callington: 0");
            env.add("agi_callingtns: 0");
            env.add("agi_dnid: " + (leg ? "unknown" : "19009068"));
            env.add("agi_rdnis: unknown");
            // Where the dialplan (dialplan/extensions.conf) runs AGI: every script, the menu's and the
            // hang-up handler's and the call-back leg's, is run by the failover subroutine [vssid-agi], at the priority
            // that
            // tries the listed instances.
            env.add("agi_context: vssid-agi");
            env.add("agi_extension: s");
            env.add("agi_priority: 8");
            env.add("agi_enhanced: 0.0");
            env.add("agi_accountcode: ");
            env.add("agi_threadid: " + (140361478305472L + sequence));
            env.add("");
            write(env);
        }

        private List<String> respond(String line, int number) {
            List<String> words = AgiWords.split(line);
            String verb = AgiWords.verb(words);
            boolean callerHangsUpNow = !dead
                    && script.hangUpAtCommandNumber().map(n -> n == number).orElse(false);
            if (dead) {
                return replyOnDeadChannel(verb, words);
            }
            if (callerHangsUpNow) {
                return callerHangsUpDuring(verb, words);
            }
            return switch (verb) {
                case "ANSWER" -> answer();
                case "STREAM FILE" -> streamFile(words);
                case "GET DATA" -> getData(words);
                case "WAIT FOR DIGIT" -> waitForDigit(words);
                case "RECORD FILE" -> recordFile(words);
                case "HANGUP" -> hangupByApp();
                case "SET VARIABLE" -> setVariable(words);
                case "VERBOSE" -> reply("200 result=1");
                case "GET VARIABLE" -> getVariable(words);
                case "GET FULL VARIABLE" -> getFullVariable(words);
                case "CHANNEL STATUS" -> reply(answeredAt >= 0 ? "200 result=6" : "200 result=4");
                case "EXEC", "NOOP" -> reply("200 result=0");
                default -> reply(UNKNOWN_COMMAND);
            };
        }

        /** On a dead channel only variables, VERBOSE, NOOP and EXEC still answer, as Asterisk 22 does. */
        private List<String> replyOnDeadChannel(String verb, List<String> words) {
            return switch (verb) {
                case "SET VARIABLE" -> setVariable(words);
                case "VERBOSE" -> reply("200 result=1");
                case "GET VARIABLE" -> getVariable(words);
                case "GET FULL VARIABLE" -> getFullVariable(words);
                case "NOOP", "EXEC" -> reply("200 result=0");
                case "" -> reply(UNKNOWN_COMMAND);
                default -> AgiWords.isKnown(verb) ? reply(DEAD_CHANNEL) : reply(UNKNOWN_COMMAND);
            };
        }

        private List<String> answer() {
            advance(ANSWER_TIME.toMillis());
            answeredAt = virtualMillis;
            return reply("200 result=0");
        }

        private List<String> streamFile(List<String> words) {
            if (words.size() < 4) {
                return usage();
            }
            String name = words.get(2);
            String escapeKeys = words.get(3);
            Optional<Path> file = soundFiles.apply(name);
            if (file.isEmpty()) {
                heard.add(new CallTranscript.Heard(shortName(name), language(name), Duration.ZERO, false, true));
                return reply("200 result=-1 endpos=0");
            }
            Duration length = duration(file.get());
            CallerScript.Action next = actions.peek();
            if (next instanceof CallerScript.Keys keys && keys.interrupt(shortName(name)) && !escapeKeys.isEmpty()) {
                char key = keys.keys().charAt(0);
                if (escapeKeys.indexOf(key) >= 0) {
                    actions.pop();
                    pushBackRest(keys.keys().substring(1));
                    Duration played = length.dividedBy(2);
                    hear(name, played, false);
                    return reply("200 result=" + (int) key + " endpos=" + samples(played));
                }
            }
            hear(name, length, true);
            return reply("200 result=0 endpos=" + samples(length));
        }

        private List<String> getData(List<String> words) {
            if (words.size() < 3) {
                return usage();
            }
            String name = words.get(2);
            long timeout = words.size() > 3 ? AgiWords.number(words.get(3), 6_000) : 6_000;
            int maxDigits = words.size() > 4 ? (int) AgiWords.number(words.get(4), 1024) : 1024;
            Optional<Path> file = soundFiles.apply(name);
            Duration length = file.map(FakeAsterisk::duration).orElse(Duration.ZERO);
            CallerScript.Action action = actions.poll();
            if (action instanceof CallerScript.HangUp) {
                hear(name, length.dividedBy(2), false);
                return hangsUpNow("200 result=-1");
            }
            if (action instanceof CallerScript.Keys keys) {
                Duration played = keys.duringPrompt() ? length.dividedBy(2) : length;
                hear(name, played, !keys.duringPrompt());
                StringBuilder digits = new StringBuilder();
                int used = 0;
                boolean ended = false;
                for (char key : keys.keys().toCharArray()) {
                    used++;
                    advance(KEY_INTERVAL.toMillis());
                    if (key == '#') {
                        ended = true;
                        break;
                    }
                    digits.append(key);
                    if (digits.length() >= maxDigits) {
                        ended = true;
                        break;
                    }
                }
                pushBackRest(keys.keys().substring(used));
                if (ended) {
                    return reply("200 result=" + digits);
                }
                advance(timeout);
                return reply("200 result=" + digits + " (timeout)");
            }
            hear(name, length, true);
            advance(timeout);
            return reply("200 result= (timeout)");
        }

        private List<String> waitForDigit(List<String> words) {
            if (words.size() < 4) {
                return usage();
            }
            long timeout = AgiWords.number(words.get(3), 0);
            CallerScript.Action action = actions.poll();
            if (action instanceof CallerScript.HangUp) {
                return hangsUpNow("200 result=-1");
            }
            if (action instanceof CallerScript.Keys keys && !keys.keys().isEmpty()) {
                advance(KEY_INTERVAL.toMillis());
                pushBackRest(keys.keys().substring(1));
                return reply("200 result=" + (int) keys.keys().charAt(0));
            }
            advance(Math.max(0, timeout));
            return reply("200 result=0");
        }

        /** Without speech in the script, the caller says nothing: Asterisk ends on silence. */
        private List<String> recordFile(List<String> words) {
            if (words.size() < 6) {
                return usage();
            }
            CallerScript.Action action = actions.poll();
            if (action instanceof CallerScript.HangUp) {
                return hangsUpNow("200 result=-1 (hangup) endpos=0");
            }
            if (action instanceof CallerScript.Keys keys && !keys.keys().isEmpty()) {
                advance(KEY_INTERVAL.toMillis());
                pushBackRest(keys.keys().substring(1));
                return reply("200 result=" + (int) keys.keys().charAt(0) + " (dtmf) endpos=0");
            }
            long silenceMillis = 1_000L
                    * words.stream()
                            .filter(w -> w.startsWith("s="))
                            .mapToLong(w -> AgiWords.number(w.substring(2), 2))
                            .findFirst()
                            .orElse(2);
            long maxMillis = AgiWords.number(words.get(5), 0);
            if (action instanceof CallerScript.Speech speech) {
                Path target = Path.of(words.get(2) + "." + words.get(3));
                long pauseMillis = speech.pauseBefore().toMillis();
                if (pauseMillis >= silenceMillis) {
                    return silentUntilTheEnd(target, silenceMillis, maxMillis);
                }
                Duration spoken = duration(speech.audio());
                try {
                    // Written where RECORD FILE says, as Asterisk does; the app finds it there only if
                    // it reads the same directory.
                    Files.createDirectories(target.toAbsolutePath().getParent());
                    if (pauseMillis == 0) {
                        Files.copy(speech.audio(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        short[] pause = lineAudio(pauseMillis);
                        short[] said = TelephoneAudio.read(speech.audio()).samples();
                        short[] recorded = java.util.Arrays.copyOf(pause, pause.length + said.length);
                        System.arraycopy(said, 0, recorded, pause.length, said.length);
                        Files.write(target, TelephoneAudio.wav(recorded));
                    }
                } catch (IOException e) {
                    notes.add("the recording could not be written: " + e.getMessage());
                }
                // Asterisk stops after the configured silence and trims it from the file.
                long heardMillis = pauseMillis + spoken.toMillis();
                advance(heardMillis + silenceMillis);
                long left = Math.max(0, maxMillis - heardMillis - silenceMillis);
                return reply("200 result=" + left + " (timeout) endpos=" + samples(Duration.ofMillis(heardMillis)));
            }
            advance(maxMillis > 0 ? Math.min(maxMillis, 2_000) : 2_000);
            return reply("200 result=" + Math.max(0, maxMillis - 2_000) + " (timeout) endpos=0");
        }

        /**
         * Asterisk 22 counts silence from the first frame: a caller who has not spoken within the
         * silence limit gets a recording ended by silence, rewound by all but one second, so about a
         * second of line audio is kept and reported as {@code endpos}. Whatever the caller says next
         * is not recorded.
         */
        private List<String> silentUntilTheEnd(Path target, long silenceMillis, long maxMillis) {
            long keptMillis = Math.min(1_000, silenceMillis);
            try {
                Files.createDirectories(target.toAbsolutePath().getParent());
                Files.write(target, TelephoneAudio.wav(lineAudio(keptMillis)));
            } catch (IOException e) {
                notes.add("the recording could not be written: " + e.getMessage());
            }
            advance(silenceMillis);
            long left = Math.max(0, maxMillis - silenceMillis);
            return reply("200 result=" + left + " (timeout) endpos=" + samples(Duration.ofMillis(keptMillis)));
        }

        /** An idle telephone line: faint hiss through one G.711 u-law pass. */
        private short[] lineAudio(long millis) {
            java.util.Random hiss = new java.util.Random(sequence);
            short[] samples = new short[(int) samples(Duration.ofMillis(millis))];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) Math.round(hiss.nextGaussian() * LINE_HISS);
            }
            return vn.vss.ivr.audio.MuLaw.roundTrip(samples);
        }

        private List<String> getVariable(List<String> words) {
            if (words.size() < 3) {
                return usage();
            }
            return variable(words.get(2))
                    .map(value -> reply("200 result=1 (" + value + ")"))
                    .orElseGet(() -> reply("200 result=0"));
        }

        private List<String> setVariable(List<String> words) {
            if (words.size() < 4) {
                return usage();
            }
            variables.put(words.get(2), words.get(3));
            return reply("200 result=1");
        }

        /** Evaluates {@code ${NAME}} references; plain text is kept. */
        private List<String> getFullVariable(List<String> words) {
            if (words.size() < 3) {
                return usage();
            }
            var matcher = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(words.get(2));
            StringBuilder value = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(
                        value,
                        java.util.regex.Matcher.quoteReplacement(
                                variable(matcher.group(1)).orElse("")));
            }
            matcher.appendTail(value);
            return value.isEmpty() ? reply("200 result=0") : reply("200 result=1 (" + value + ")");
        }

        private Optional<String> variable(String name) {
            return switch (name) {
                case "CALLERID(num)" -> Optional.of(script.callerId());
                case "CHANNEL(state)" -> Optional.of(answeredAt >= 0 ? "Up" : "Ring");
                default -> Optional.ofNullable(variables.get(name));
            };
        }

        private List<String> hangupByApp() {
            dead = true;
            endedAt = virtualMillis;
            hungUpBy = CallTranscript.HungUpBy.APP;
            hangupNoticePending = true;
            List<String> lines = reply("200 result=1");
            lines.add("HANGUP");
            hangupNoticePending = false;
            return lines;
        }

        /**
         * The caller hangs up while this command runs. Media commands end with {@code result=-1};
         * the others were not running long enough to be cut, so Asterisk reports the dead channel.
         */
        private List<String> callerHangsUpDuring(String verb, List<String> words) {
            switch (verb) {
                case "STREAM FILE" -> {
                    Duration length = words.size() >= 3
                            ? soundFiles
                                    .apply(words.get(2))
                                    .map(FakeAsterisk::duration)
                                    .orElse(Duration.ZERO)
                            : Duration.ZERO;
                    hear(words.size() >= 3 ? words.get(2) : "", length.dividedBy(2), false);
                    return hangsUpNow("200 result=-1 endpos=" + samples(length.dividedBy(2)));
                }
                case "GET DATA", "WAIT FOR DIGIT" -> {
                    return hangsUpNow("200 result=-1");
                }
                case "RECORD FILE" -> {
                    return hangsUpNow("200 result=-1 (hangup) endpos=0");
                }
                default -> {
                    markCallerGone();
                    if (verb.equals("GET FULL VARIABLE") || verb.equals("GET VARIABLE")) {
                        // Variables still answer on a dead channel, after the HANGUP notice.
                        List<String> lines = replyOnDeadChannel(verb, words);
                        lines.add(0, "HANGUP");
                        return lines;
                    }
                    return reply("HANGUP", isAlwaysAnswered(verb) ? "200 result=1" : DEAD_CHANNEL);
                }
            }
        }

        /** The running command returns this line; the HANGUP notice comes before the next reply. */
        private List<String> hangsUpNow(String line) {
            markCallerGone();
            hangupNoticePending = true;
            return reply(line);
        }

        private boolean isAlwaysAnswered(String verb) {
            return verb.equals("SET VARIABLE") || verb.equals("VERBOSE") || verb.equals("NOOP") || verb.equals("EXEC");
        }

        /** Moves the simulated clock on; with a real-time scale the caller's time also passes for real. */
        private void advance(long millis) {
            virtualMillis += millis;
            if (realTimeScale > 0 && millis > 0) {
                try {
                    Thread.sleep((long) (millis * realTimeScale));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void markCallerGone() {
            dead = true;
            endedAt = virtualMillis;
            hungUpBy = CallTranscript.HungUpBy.CALLER;
        }

        private void pushBackRest(String rest) {
            if (!rest.isEmpty()) {
                actions.push(new CallerScript.Keys(rest, false));
            }
        }

        private void hear(String name, Duration played, boolean complete) {
            advance(played.toMillis());
            heard.add(new CallTranscript.Heard(shortName(name), language(name), played, complete, false));
        }

        /** Asterisk's answer to a command with missing arguments (its text for GET DATA, as captured). */
        private List<String> usage() {
            return reply(
                    "520-Invalid command syntax.  Proper usage follows:",
                    "Stream the given <replaceable>file</replaceable>, and receive DTMF data.",
                    "Returns the digits received from the channel at the other end.",
                    "520 End of proper usage.");
        }

        private List<String> reply(String... lines) {
            return new ArrayList<>(List.of(lines));
        }

        private void write(List<String> lines) throws IOException {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append('\n');
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String shortName(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    private static String language(String name) {
        String[] parts = name.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    private static long samples(Duration duration) {
        return duration.toMillis() * TelephoneAudio.SAMPLE_RATE / 1000;
    }

    static Duration duration(Path file) {
        return DURATIONS.computeIfAbsent(file, f -> {
            try {
                return TelephoneAudio.read(f).duration();
            } catch (IOException e) {
                return Duration.ZERO;
            }
        });
    }
}
