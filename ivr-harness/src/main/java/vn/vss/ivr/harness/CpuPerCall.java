package vn.vss.ivr.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * CPU milliseconds per call on one instance, for the two calls that matter: a wrong number (the
 * code is looked up and does not match: no Argon2id) and a reset (the code matches: a password is
 * made and hashed with Argon2id), each in phases of its own so that the process CPU of a phase
 * belongs to one kind of call. Argon2id and PostgreSQL are counted apart. The bare asterisk-java
 * script answering as many commands is measured in the same rounds, hotline and bare in turns.
 */
final class CpuPerCall {
    /** Codes and numbers of this section's own subscribers: no other phase touches them. */
    private static final String CODE = "6%09d";

    private static final String PHONE = "03%08d";

    private CpuPerCall() {}

    /**
     * @param postgres data directory of the hotline's PostgreSQL, whose CPU is counted apart
     * @param calls calls of each kind in each round
     */
    static void measure(
            Hotline hotline, Optional<Path> postgres, int calls, int concurrency, int rounds, PrintStream out)
            throws Exception {
        int n = Math.max(1, calls);
        // Per round: n wrong numbers and n resets; plus one of each to learn the commands and warm up.
        int wrongFirst = 0;
        int resetFirst = rounds * n + 1;
        register(hotline, 2 * (rounds * n + 1) + 1);
        FakeAsterisk asterisk =
                new FakeAsterisk("127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofMinutes(2));
        CallPhase.Result wrongShape = CallPhase.run(1, 1, postgres, i -> asterisk.call(wrongNumber(wrongFirst + i)));
        CallPhase.Result resetShape = CallPhase.run(1, 1, postgres, i -> asterisk.call(rightful(resetFirst + i)));
        int wrongCommands = wrongShape.commandsPerCall();
        int resetCommands = resetShape.commandsPerCall();

        CallPhase.Result wrong = CallPhase.Result.NONE;
        CallPhase.Result reset = CallPhase.Result.NONE;
        CallPhase.Result bareWrong = CallPhase.Result.NONE;
        CallPhase.Result bareReset = CallPhase.Result.NONE;
        for (int round = 0; round < rounds; round++) {
            int wrongBase = wrongFirst + 1 + round * n;
            int resetBase = resetFirst + 1 + round * n;
            boolean hotlineFirst = round % 2 == 0;
            if (!hotlineFirst) {
                bareWrong = bareWrong.and(bare(wrongCommands, n, concurrency));
                bareReset = bareReset.and(bare(resetCommands, n, concurrency));
            }
            wrong = wrong.and(CallPhase.run(n, concurrency, postgres, i -> asterisk.call(wrongNumber(wrongBase + i))));
            reset = reset.and(CallPhase.run(n, concurrency, postgres, i -> asterisk.call(rightful(resetBase + i))));
            if (hotlineFirst) {
                bareWrong = bareWrong.and(bare(wrongCommands, n, concurrency));
                bareReset = bareReset.and(bare(resetCommands, n, concurrency));
            }
        }

        out.printf(
                "CPU per call, one instance (%d round(s) of %d calls of each kind, %d at a time, hotline and bare in turns):%n",
                rounds, n, concurrency);
        out.println(hotlineLine("hotline, no-match call (wrong number)", wrong, wrong.mismatches(), "'mismatch'"));
        out.println(hotlineLine("hotline, reset call (registered number)", reset, reset.resets(), "a password"));
        out.println(bareLine(bareWrong, wrongCommands));
        out.println(bareLine(bareReset, resetCommands));
        out.printf(
                "ratios: hotline app / bare CPU per call: no-match %.1f, reset %.1f (Argon2id apart);"
                        + " reset with Argon2id / no-match = %.1f%n",
                ratio(
                        wrong.perCall(wrong.cpu().appNanos()),
                        bareWrong.perCall(bareWrong.cpu().appNanos())),
                ratio(
                        reset.perCall(reset.cpu().appNanos()),
                        bareReset.perCall(bareReset.cpu().appNanos())),
                ratio(
                        reset.perCall(reset.cpu().appNanos() + reset.cpu().hashingNanos()),
                        wrong.perCall(wrong.cpu().appNanos())));
        out.println("  " + CpuUse.HOW_MEASURED);
    }

    private static CallPhase.Result bare(int commandsPerCall, int n, int concurrency) throws Exception {
        try (BareAgiScript bare = BareAgiScript.start(commandsPerCall, concurrency)) {
            FakeAsterisk asterisk = bare.asterisk();
            asterisk.call(BareAgiScript.caller()); // its threads started before the phase counts
            return CallPhase.run(n, concurrency, Optional.empty(), i -> asterisk.call(BareAgiScript.caller()));
        }
    }

    static String hotlineLine(String name, CallPhase.Result result, int asExpected, String expected) {
        CpuUse.Spent cpu = result.cpu();
        return String.format(
                "  %s, %d AGI commands: CPU per call app %.2f ms, Argon2id %.2f ms, PostgreSQL %.2f ms"
                        + " (simulated caller %.2f ms, taken out); %d of %d calls heard %s",
                name,
                result.commandsPerCall(),
                result.perCall(cpu.appNanos()),
                result.perCall(cpu.hashingNanos()),
                result.perCall(cpu.postgresNanos()),
                result.perCall(cpu.callerNanos()),
                asExpected,
                result.calls(),
                expected);
    }

    private static String bareLine(CallPhase.Result result, int commands) {
        return String.format(
                "  bare asterisk-java script, %d NOOP commands per call: CPU per call %.2f ms"
                        + " (simulated caller %.2f ms, taken out)",
                commands,
                result.perCall(result.cpu().appNanos()),
                result.perCall(result.cpu().callerNanos()));
    }

    private static double ratio(double a, double b) {
        return b <= 0 ? Double.NaN : a / b;
    }

    /** Calls subscriber {@code i}'s code from another subscriber's number: looked up, no match. */
    private static CallerScript wrongNumber(int i) {
        return CallerScript.from(String.format(PHONE, i + 1))
                .keys(String.format(CODE, i) + "#")
                .silence();
    }

    /** Subscriber {@code i} calls from its registered number and hears a new password. */
    private static CallerScript rightful(int i) {
        return CallerScript.from(String.format(PHONE, i))
                .keys(String.format(CODE, i) + "#")
                .silence();
    }

    private static void register(Hotline hotline, int n) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            csv.append(String.format(CODE, i))
                    .append(',')
                    .append(String.format(PHONE, i))
                    .append('\n');
        }
        SubscriberCsvImport.Result result =
                new SubscriberCsvImport(hotline.database().dsl()).importFrom(new StringReader(csv.toString()));
        if (!result.succeeded()) {
            throw new IllegalStateException("the benchmark's subscribers were refused: " + result.problems());
        }
    }
}
