package vn.vss.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.KeypadBenchmark;
import vn.vss.ivr.harness.LoadBenchmark;

/**
 * A tiny run of {@code bench-keypad} and {@code bench-load} with {@code --instances 2}: the options
 * are read as the command line reads them, each figure line is printed, and the shared database
 * holds the calls each instance took, split as the calls were sent (in turn between the two
 * FastAGI servers). Nothing here is about speed: only what was counted and recorded.
 */
class BenchmarkAcrossInstancesIT {
    private static final Pattern FIGURES =
            Pattern.compile("  (one instance |two instances): (\\d+) calls in [0-9.]+ s ="
                    + " [0-9.]+ calls/s; per call p50 \\d+ ms p99 \\d+ ms; per AGI step \\(app time\\) p99 [0-9.]+ ms;"
                    + " CPU per call app [0-9.]+ ms, Argon2id [0-9.]+ ms, PostgreSQL [0-9.]+ ms; (\\d+) resets,"
                    + " (\\d+) mismatches, 0 'unavailable'");
    private static final String RATIO = "ratio two/one: calls/s [0-9.]+; per call p99 [0-9.]+; per AGI step p99"
            + " [0-9.]+; app CPU per call [0-9.]+";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void givenBenchKeypadOnTwoInstances_thenBothAreMeasuredAndTheSharedDatabaseHoldsEachInstancesCalls()
            throws Exception {
        CommandOptions options = CommandOptions.parse(
                "bench-keypad", List.of("--calls", "8", "--concurrency", "4", "--matches", "1", "--instances", "2"));

        assertThat(KeypadBenchmark.run(options.asMap(), out)).isZero();

        String output = printed.toString(StandardCharsets.UTF_8);
        // Two rounds of 4 calls each way; calls in pairs: two resets, two wrong numbers.
        assertThat(figures(output, "one instance ")).containsExactly(8, 4, 4);
        assertThat(figures(output, "two instances")).containsExactly(8, 4, 4);
        assertThat(output).containsPattern(RATIO);
        // A warm-up and four phases of 4 calls; the first instance takes every call of the one-instance
        // phases and every other call of the others.
        assertThat(output)
                .contains("recorded in the shared database: bench-a: 7 not_verified, 7 password_heard;"
                        + " bench-b: 3 not_verified, 3 password_heard");

        // CPU per call, each kind in phases of its own, Argon2id apart: only resets hash a password.
        Matcher noMatch = Pattern.compile("  hotline, no-match call \\(wrong number\\), \\d+ AGI commands: CPU per call"
                        + " app ([0-9.]+) ms, Argon2id ([0-9.]+) ms, PostgreSQL [0-9.]+ ms \\(simulated caller"
                        + " [0-9.]+ ms, taken out\\); 16 of 16 calls heard 'mismatch'")
                .matcher(output);
        assertThat(noMatch.find()).as(output).isTrue();
        assertThat(Double.parseDouble(noMatch.group(2))).isZero();
        Matcher reset = Pattern.compile("  hotline, reset call \\(registered number\\), \\d+ AGI commands: CPU per call"
                        + " app ([0-9.]+) ms, Argon2id ([0-9.]+) ms, PostgreSQL [0-9.]+ ms \\(simulated caller"
                        + " [0-9.]+ ms, taken out\\); 16 of 16 calls heard a password")
                .matcher(output);
        assertThat(reset.find()).as(output).isTrue();
        assertThat(Double.parseDouble(reset.group(2))).isPositive();
        assertThat(output)
                .containsPattern("  bare asterisk-java script, \\d+ NOOP commands per call: CPU per call [0-9.]+ ms")
                .containsPattern("ratios: hotline app / bare CPU per call: no-match [0-9.]+, reset [0-9.]+")
                .contains("OperatingSystemMXBean.getProcessCpuTime");
    }

    @Test
    void givenBenchLoadOnTwoInstances_thenBothAreMeasuredAndTheSharedDatabaseHoldsEachInstancesCalls()
            throws Exception {
        CommandOptions options = CommandOptions.parse(
                "bench-load",
                List.of("--calls", "4", "--hold-seconds", "1", "--ramp-seconds", "0", "--instances", "2"));

        assertThat(LoadBenchmark.load(options.asMap(), out)).isZero();

        String output = printed.toString(StandardCharsets.UTF_8);
        // Two rounds of 4 held calls each way; the first two of every 20 key their code.
        assertThat(figures(output, "one instance ")).containsExactly(8, 4, 0);
        assertThat(figures(output, "two instances")).containsExactly(8, 4, 0);
        assertThat(output).containsPattern(RATIO);
        // Silent callers end without a code; of the warm-up and four phases, the first instance takes
        // the one-instance phases whole and one keying and one silent caller of each of the others.
        assertThat(output)
                .contains("recorded in the shared database: bench-a: 7 no_valid_code, 7 password_heard;"
                        + " bench-b: 3 no_valid_code, 3 password_heard");
        assertThat(output).contains("hotline, no-match call").contains("bare asterisk-java script");
    }

    /** Calls, resets and mismatches of the line of {@code name}. */
    private static List<Integer> figures(String output, String name) {
        Matcher line = FIGURES.matcher(output);
        while (line.find()) {
            if (line.group(1).equals(name)) {
                return List.of(
                        Integer.parseInt(line.group(2)),
                        Integer.parseInt(line.group(3)),
                        Integer.parseInt(line.group(4)));
            }
        }
        throw new AssertionError("no figures for '" + name + "' in:\n" + output);
    }
}
