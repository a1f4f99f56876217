package vn.vss.ivr;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.RecordedCalls;
import vn.vss.ivr.adapter.postgres.RecordedCalls.PasswordReset;
import vn.vss.ivr.adapter.postgres.RecordedCalls.RecordedCall;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.config.IvrConfig;

/**
 * The verdict of the SIPp call tests: for each call a test placed, what the hotline recorded for it
 * (outcome, input method, billed minutes and charge lines, password reset or not) against what the
 * test expected. SIPp only sees signalling; a call that went wrong (a password changed by a caller
 * who hung up, a misheard spoken code) still ends with a BYE, so only these records tell.
 *
 * <p>The manifest (written by {@code sipp/run-calltests.sh}) holds one {@code since} line, the time
 * the run began (UTC, ISO-8601), and one line per call, fields separated by tabs or spaces:
 *
 * <pre>
 * since   2026-11-30T08:40:00Z
 * # scenario     call caller     code       outcome        input   billed_minutes password
 * keypad-happy   1    0912345678 0012345678 password_heard keypad  1-2            changed
 * </pre>
 *
 * Outcome and input may list alternatives ({@code hung_up|not_verified}); billed minutes are a range
 * ({@code 1-2}) or one number. Every call of a run comes from its own number, so a call is found by
 * its caller number and the start time: exactly one call must be recorded from that number since the
 * run began. A password is "changed" when the code has exactly one committed reset since then, made
 * by that call, and "unchanged" when it has none.
 */
public final class CallTestCheck {
    /** One call the test placed and what it expects the hotline to have recorded. */
    public record ExpectedCall(
            String scenario,
            String call,
            PhoneNumber caller,
            String code,
            Set<String> outcomes,
            Set<String> inputMethods,
            int minMinutes,
            int maxMinutes,
            boolean passwordChanged) {}

    /** A manifest: when the run began, and its calls. */
    public record Manifest(Instant since, List<ExpectedCall> calls) {}

    /** The verdict on one call: the line printed for it and whether it passed. */
    public record Verdict(ExpectedCall expected, boolean passed, String line) {}

    private static final Pattern WORD = Pattern.compile("[a-z][a-z_]{0,31}");
    private static final Pattern MINUTES = Pattern.compile("([0-9]{1,4})(?:-([0-9]{1,4}))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CODE = Pattern.compile("[0-9]{10}");
    private static final Duration POLL = Duration.ofMillis(500);
    /** Exit status when the calls could not be checked at all (bad manifest, database unreachable). */
    static final int CANNOT_CHECK = 2;

    private CallTestCheck() {}

    /** The command: reads the manifest, checks every call, prints one line each; 0 if all passed, 1 if not. */
    static int run(IvrConfig config, String manifestFile, Duration wait, PrintStream out) throws Exception {
        Manifest manifest;
        // Read before the database starts, which takes seconds and would hide a bad manifest.
        try (Reader reader = CommandFiles.open("calltest-check", manifestFile)) {
            manifest = parse(reader, manifestFile);
        }
        List<Verdict> verdicts;
        try (Database database = Database.start(config.database(), new SimpleMeterRegistry())) {
            verdicts = check(new RecordedCalls(database.dsl()), manifest, wait);
        } catch (IOException | RuntimeException e) {
            // Not a verdict on any call: 2, as for a bad manifest, never the 1 of a call that went wrong.
            System.err.println("calltest-check: the call records could not be read (database " + config.database()
                    + ", see IVR_DB_URL, IVR_DB_USER, IVR_DB_PASSWORD): " + e.getMessage());
            return CANNOT_CHECK;
        }
        return print(verdicts, out);
    }

    /** Prints each verdict and a summary line; returns the exit status (0 all passed, 1 otherwise). */
    public static int print(List<Verdict> verdicts, PrintStream out) {
        verdicts.forEach(v -> out.println(v.line()));
        long failed = verdicts.stream().filter(v -> !v.passed()).count();
        out.printf(
                "calltest-check: %d call(s), %d passed, %d failed%n",
                verdicts.size(), verdicts.size() - failed, failed);
        return failed == 0 ? 0 : 1;
    }

    /**
     * Checks every call. Calls not recorded yet, or still open, are looked at again until {@code wait}
     * has passed: the hotline writes a call's outcome when Asterisk reports the hang-up, and a call
     * record spooled while the database was away arrives later.
     */
    public static List<Verdict> check(RecordedCalls records, Manifest manifest, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Verdict> verdicts = new ArrayList<>();
            boolean settled = true;
            for (ExpectedCall expected : manifest.calls()) {
                List<RecordedCall> calls = records.callsFrom(expected.caller(), manifest.since());
                settled &= !calls.isEmpty() && calls.stream().allMatch(RecordedCall::ended);
                verdicts.add(judge(expected, calls, records.resetsOf(expected.code(), manifest.since())));
            }
            if (settled || System.nanoTime() - deadline >= 0) {
                return verdicts;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Compares one call's records with what was expected. */
    static Verdict judge(ExpectedCall expected, List<RecordedCall> calls, List<PasswordReset> resets) {
        String who = expected.scenario() + " " + expected.call() + " "
                + expected.caller().masked();
        if (calls.size() != 1) {
            String problem = calls.isEmpty()
                    ? "no call recorded from this number since the run began"
                    : calls.size() + " calls recorded from this number since the run began, expected one";
            return new Verdict(expected, false, "FAIL " + who + ": " + problem);
        }
        RecordedCall call = calls.get(0);
        if (!call.ended()) {
            return new Verdict(expected, false, "FAIL " + who + ": the call is still open (no outcome recorded)");
        }
        List<String> problems = new ArrayList<>();
        if (!expected.outcomes().contains(call.outcome())) {
            problems.add("outcome " + call.outcome() + ", expected " + String.join("|", expected.outcomes()));
        }
        if (!expected.inputMethods().contains(call.inputMethod())) {
            problems.add(
                    "input method " + call.inputMethod() + ", expected " + String.join("|", expected.inputMethods()));
        }
        int billed = call.billedMinutes() == null ? -1 : call.billedMinutes();
        if (billed < expected.minMinutes() || billed > expected.maxMinutes()) {
            problems.add("billed " + (billed < 0 ? "nothing" : billed + " minute(s)") + ", expected "
                    + range(expected.minMinutes(), expected.maxMinutes()));
        }
        if (call.chargeLines() != billed) {
            problems.add(call.chargeLines() + " charge line(s) for " + billed + " billed minute(s)");
        }
        boolean resetByThisCall = resets.size() == 1 && resets.get(0).callId().equals(call.id());
        String password;
        if (resets.isEmpty()) {
            password = "password unchanged";
        } else if (resetByThisCall) {
            password = "password changed";
        } else {
            password = "password reset " + resets.size() + " time(s), "
                    + (resets.stream().anyMatch(r -> r.callId().equals(call.id()))
                            ? "also by other calls"
                            : "by other calls");
        }
        boolean passwordAsExpected = expected.passwordChanged() ? resetByThisCall : resets.isEmpty();
        if (!passwordAsExpected) {
            problems.add(password + ", expected " + (expected.passwordChanged() ? "changed" : "unchanged"));
        }
        Duration length = Duration.between(call.startedAt(), call.endedAt());
        String recorded = String.format(
                Locale.ROOT,
                "%s %s, %s min, %s, %.1f s",
                call.outcome(),
                call.inputMethod(),
                billed < 0 ? "no" : Integer.toString(billed),
                password,
                length.toMillis() / 1000.0);
        if (problems.isEmpty()) {
            return new Verdict(expected, true, "PASS " + who + ": " + recorded);
        }
        return new Verdict(expected, false, "FAIL " + who + ": " + String.join("; ", problems) + " (" + recorded + ")");
    }

    /**
     * Reads a manifest.
     *
     * @throws IllegalArgumentException naming the file, the line and what is wrong with it
     */
    public static Manifest parse(Reader manifest, String name) throws IOException {
        BufferedReader lines = new BufferedReader(manifest);
        Instant since = null;
        List<ExpectedCall> calls = new ArrayList<>();
        Set<String> callers = new LinkedHashSet<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = name + " line " + number + ": ";
            String[] fields = trimmed.split("\\s+");
            if (fields[0].equals("since")) {
                if (fields.length != 2 || since != null) {
                    throw new IllegalArgumentException(where + "expected one 'since TIME' line");
                }
                try {
                    since = Instant.parse(fields[1]);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(where + "'since' needs a UTC time such as 2026-11-30T08:40:00Z");
                }
                continue;
            }
            if (fields.length != 8) {
                throw new IllegalArgumentException(where + "expected 8 fields (scenario call caller code outcome"
                        + " input billed_minutes password), found " + fields.length);
            }
            ExpectedCall call = expectedCall(fields, where);
            if (!callers.add(call.caller().e164())) {
                throw new IllegalArgumentException(
                        where + "the caller number is used by an earlier call: each call needs its own number");
            }
            calls.add(call);
        }
        if (since == null) {
            throw new IllegalArgumentException(name + ": no 'since TIME' line (when the run began, UTC)");
        }
        if (calls.isEmpty()) {
            throw new IllegalArgumentException(name + ": no calls listed");
        }
        return new Manifest(since, List.copyOf(calls));
    }

    private static ExpectedCall expectedCall(String[] fields, String where) {
        if (!NAME.matcher(fields[0]).matches() || !NAME.matcher(fields[1]).matches()) {
            throw new IllegalArgumentException(where + "scenario and call must be names of letters, digits, . _ -");
        }
        // The values are not echoed: numbers and codes are personal data on a real database.
        Optional<PhoneNumber> caller = PhoneNumber.fromCallerId(fields[2]);
        if (caller.isEmpty()) {
            throw new IllegalArgumentException(where + "the caller (" + fields[2].length()
                    + " characters) is not a Vietnamese number in plain digits (+84..., 84... or 0...)");
        }
        if (!CODE.matcher(fields[3]).matches()) {
            throw new IllegalArgumentException(
                    where + "the code (" + fields[3].length() + " characters) is not 10 digits");
        }
        Set<String> outcomes = words(fields[4], "outcome", where);
        Set<String> inputs = words(fields[5], "input", where);
        var minutes = MINUTES.matcher(fields[6]);
        if (!minutes.matches()) {
            throw new IllegalArgumentException(where + "billed_minutes '" + fields[6] + "' is not N or N-M");
        }
        int min = Integer.parseInt(minutes.group(1));
        int max = minutes.group(2) == null ? min : Integer.parseInt(minutes.group(2));
        if (max < min) {
            throw new IllegalArgumentException(where + "billed_minutes '" + fields[6] + "' ends before it starts");
        }
        boolean changed =
                switch (fields[7]) {
                    case "changed" -> true;
                    case "unchanged" -> false;
                    default -> throw new IllegalArgumentException(
                            where + "password '" + fields[7] + "' is not changed or unchanged");
                };
        return new ExpectedCall(fields[0], fields[1], caller.get(), fields[3], outcomes, inputs, min, max, changed);
    }

    private static Set<String> words(String field, String what, String where) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : field.split("\\|", -1)) {
            if (!WORD.matcher(word).matches()) {
                throw new IllegalArgumentException(
                        where + what + " '" + field + "' is not a word of a-z and _ (alternatives joined by |)");
            }
            words.add(word);
        }
        return Collections.unmodifiableSet(words);
    }

    private static String range(int min, int max) {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
