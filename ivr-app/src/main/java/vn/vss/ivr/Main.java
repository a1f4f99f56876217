package vn.vss.ivr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.DemoSubscribers;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.config.Settings;
import vn.vss.ivr.config.SettingsTable;
import vn.vss.ivr.harness.KeypadBenchmark;
import vn.vss.ivr.harness.LoadBenchmark;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;
import vn.vss.ivr.hotline.InstanceIdInUseException;
import vn.vss.ivr.hotline.PortUnavailableException;

/**
 * The command line: {@code serve}, {@code call}, {@code import-subscribers}, {@code charges-report},
 * {@code bench-keypad} and {@code settings}. Wiring is by hand; settings come from the environment.
 */
public final class Main {
    private static final String USAGE =
            """
            usage: java -jar ivr-app.jar COMMAND [options]

              serve [--demo-call]            start the hotline (FastAGI + HTTP); with --demo-call, also place
                                             one simulated call against it and print the dialogue
              call --from NUMBER --keys KEYS [--lang vi|en] [--hangup-at N] [--show-password]
                                             place one simulated call (starts the hotline in-process) and
                                             print what the caller heard; KEYS may include # and *
              import-subscribers FILE.csv    import 'code,phone' lines; all or nothing (- reads standard input)
              calltest-check MANIFEST [--wait SECONDS]
                                             check what the hotline recorded for each call of a SIPp call
                                             test run (sipp/run-calltests.sh); one line per call, exit 1
                                             if any differs (- reads standard input)
              speak-code --digits DIGITS --out FILE.wav|- [--check]
                                             the digits spoken in English by the hotline's MaryTTS voice,
                                             as an 8 kHz WAV (the spoken code of the SIPp call tests);
                                             --check: exit 3 if the English model mishears them
              charges-report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]
                                             calls, billed minutes and VND by outcome, from the charge lines
              sms-in-doubt [--resend ID | --mark-sent ID]
                                             list the SMS notices in doubt (maybe sent: README 'SMS
                                             notices'); send one again, or record that the SMSC had it
              bench-keypad [--calls N] [--concurrency C] [--matches M] [--instances 1|2]
                                             benchmark simulated keypad calls on loopback; CPU per call;
                                             --instances 2: also on two instances sharing one database
                                          bench-speech [--codes 200]     spoken-code accuracy by noise level, real-time factor, latency
              bench-load [--calls 2000] [--hold-seconds 30] [--ramp-seconds 10] [--instances 1|2]
                                             hold N simulated calls open at once; print resources;
                                             --instances 2: one instance against two on one database
              bench-soak [--minutes 30] [--rate 5] [--call-seconds 10]
                                             steady simulated calls; heap, threads, fds, db connections
                                             each minute
              settings [--defaults]          check the settings of this environment and print the values in
                                             effect; with --defaults, the table of defaults (as in the README)

            Settings are environment variables; see 'settings' or the README.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String command = args.length == 0 ? "serve" : args[0];
        List<String> words = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        int status;
        try {
            status = run(command, words, out);
        } catch (Settings.InvalidSettingsException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            status = 2;
        } catch (PortUnavailableException | InstanceIdInUseException e) {
            System.err.println(e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    private static int run(String command, List<String> words, PrintStream out) throws Exception {
        if (List.of("help", "--help", "-h").contains(command)) {
            out.print(USAGE);
            return 0;
        }
        if (!CommandOptions.isCommand(command)) {
            System.err.println("unknown command '" + command + "'\n" + USAGE);
            return 2;
        }
        // Options are checked before anything (a database, a server) is started.
        CommandOptions parsed = CommandOptions.parse(command, words);
        Map<String, String> options = parsed.asMap();
        return switch (command) {
            case "serve" -> serve(options, out);
            case "call" -> call(options, out);
            case "import-subscribers" -> importSubscribers(parsed, out);
            case "charges-report" -> ChargesReport.run(IvrConfig.fromEnvironment(), options, out);
            case "calltest-check" -> callTestCheck(parsed, out);
            case "sms-in-doubt" -> SmsInDoubt.run(IvrConfig.fromEnvironment(), options, out);
            case "speak-code" -> SpokenCode.run(options, out);
            case "bench-keypad" -> KeypadBenchmark.run(options, out);
            case "bench-speech" -> vn.vss.ivr.harness.speech.SpeechBenchmark.run(options, out);
            case "bench-load" -> LoadBenchmark.load(options, out);
            case "bench-soak" -> LoadBenchmark.soak(options, out);
            case "settings" -> settings(options.containsKey("defaults"), System.getenv(), out);
            default -> throw new IllegalStateException("command without a case: " + command);
        };
    }

    private static int serve(Map<String, String> options, PrintStream out) throws Exception {
        IvrConfig config = IvrConfig.fromEnvironment();
        Hotline hotline = Hotline.start(config);
        // SIGINT and the like stop at once, as before; a drain closes the hotline itself.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!hotline.draining()) {
                hotline.close();
            }
        }));
        StopSignals signals = StopSignals.install(hotline);
        if (config.drainTimeout().compareTo(config.call().maxCallDuration()) < 0) {
            System.err.printf(
                    "note: IVR_DRAIN_TIMEOUT=%ds is shorter than IVR_MAX_CALL_DURATION=%ds: on SIGTERM a long call may hear 'the service is restarting'%n",
                    config.drainTimeout().toSeconds(),
                    config.call().maxCallDuration().toSeconds());
        }
        if (options.containsKey("demo-call")) {
            out.printf("Simulated call from 0912345678 keying %s#:%n", DemoSubscribers.CODE);
            CallTranscript transcript =
                    simulate(hotline, CallerScript.from("0912345678").keys(DemoSubscribers.CODE + "#"));
            out.print(transcript.dialogue(false));
            out.printf(
                    "The hotline keeps running: FastAGI on port %d, metrics and the supervisor page on http://%s:%d/supervisor%n",
                    hotline.agiPort(), hotline.config().httpBindAddress().getHostAddress(), hotline.httpPort());
        }
        signals.awaitStopRequest();
        hotline.drain(config.drainTimeout());
        hotline.close();
        return 0;
    }

    private static int call(Map<String, String> options, PrintStream out) throws Exception {
        String from = require(options, "from");
        String keys = options.getOrDefault("keys", "");
        CallerScript script = CallerScript.from(from).language(options.getOrDefault("lang", "vi"));
        if (!keys.isEmpty()) {
            script.keys(keys.endsWith("#") || keys.length() > 10 ? keys : keys + "#");
        }
        if (options.containsKey("hangup-at")) {
            script.hangUpAtCommand(Integer.parseInt(options.get("hangup-at")));
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("IVR_AGI_PORT", "0");
        env.putIfAbsent("IVR_HTTP_PORT", "0");
        env.putIfAbsent("IVR_ENGLISH_VOICE", "en".equals(options.get("lang")) ? "true" : "false");
        try (Hotline hotline = Hotline.start(IvrConfig.from(env))) {
            if ("en".equals(options.get("lang"))) {
                hotline.englishPrompts().join();
            }
            out.printf(
                    "Call from %s, keys %s, language %s:%n", from, keys.isEmpty() ? "(none)" : keys, script.language());
            CallTranscript transcript = simulate(hotline, script);
            out.print(transcript.dialogue(options.containsKey("show-password")));
        }
        return 0;
    }

    static CallTranscript simulate(Hotline hotline, CallerScript script) throws IOException {
        FakeAsterisk asterisk =
                new FakeAsterisk("127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60));
        return asterisk.call(script);
    }

    private static int importSubscribers(CommandOptions options, PrintStream out) throws Exception {
        options.requireArguments("import-subscribers", 1, "one CSV file of 'code,phone' lines");
        String file = options.arguments().get(0);
        // Opened before the database starts, which takes seconds and would hide the real problem.
        try (var reader = CommandFiles.open("import-subscribers", file);
                Database database = Database.start(
                        IvrConfig.fromEnvironment().database(),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            SubscriberCsvImport.Result result = new SubscriberCsvImport(database.dsl()).importFrom(reader);
            if (!result.succeeded()) {
                System.err.println(
                        file + ": nothing imported, " + result.problems().size() + " problem(s):");
                result.problems().forEach(p -> System.err.println("  " + p));
                return 1;
            }
            out.println(file + ": " + result.imported() + " subscriber(s) imported");
            return 0;
        }
    }

    private static int callTestCheck(CommandOptions options, PrintStream out) throws Exception {
        options.requireArguments("calltest-check", 1, "one manifest file (- for standard input)");
        Duration wait = Duration.ofSeconds(Integer.parseInt(options.asMap().getOrDefault("wait", "30")));
        return CallTestCheck.run(
                IvrConfig.fromEnvironment(), options.arguments().get(0), wait, out);
    }

    /**
     * The settings in effect, read from {@code environment} (bad values stop it with exit status 2, as
     * they would stop the hotline), or with {@code defaults} the table of defaults the README shows.
     */
    static int settings(boolean defaults, Map<String, String> environment, PrintStream out) {
        if (defaults) {
            out.print(SettingsTable.defaults(IvrConfig.from(Map.of()).declared()));
        } else {
            out.print(SettingsTable.effective(IvrConfig.from(environment).declared()));
        }
        return 0;
    }

    static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return value;
    }
}
