package vn.vss.ivr.harness;

import java.io.PrintStream;

/**
 * The same load on one instance and on two instances sharing the database, in the same run, in
 * alternating rounds (one-two, then two-one, ...) so that whatever else loads the machine weighs on
 * both alike; printed side by side with the ratio two/one.
 */
final class ScaleOut {
    /**
     * One phase of the load, on the first instance alone or spread over both; {@code number} (0 to
     * {@link #phases}{@code (rounds) - 1}) tells the phases apart, so that each can have subscribers
     * of its own.
     */
    interface Phase {
        CallPhase.Result run(boolean twoInstances, int number) throws Exception;
    }

    private ScaleOut() {}

    /** Phases run by {@link #compare}: a warm-up (not counted), then two per round. */
    static int phases(int rounds) {
        return 1 + 2 * rounds;
    }

    static void compare(int rounds, Phase phase, PrintStream out) throws Exception {
        // Both instances take calls once before anything is counted: code compiled, pools filled.
        phase.run(true, 0);
        CallPhase.Result one = CallPhase.Result.NONE;
        CallPhase.Result two = CallPhase.Result.NONE;
        for (int round = 0; round < rounds; round++) {
            int number = 1 + 2 * round;
            if (round % 2 == 0) {
                one = one.and(phase.run(false, number));
                two = two.and(phase.run(true, number + 1));
            } else {
                two = two.and(phase.run(true, number));
                one = one.and(phase.run(false, number + 1));
            }
        }
        out.println(line("one instance ", one));
        out.println(line("two instances", two));
        out.printf(
                "ratio two/one: calls/s %.2f; per call p99 %.2f; per AGI step p99 %.2f; app CPU per call %.2f%n",
                ratio(two.callsPerSecond(), one.callsPerSecond()),
                ratio(two.callMillis(99), one.callMillis(99)),
                ratio(two.stepMillis(99), one.stepMillis(99)),
                ratio(two.perCall(two.cpu().appNanos()), one.perCall(one.cpu().appNanos())));
    }

    private static String line(String name, CallPhase.Result result) {
        CpuUse.Spent cpu = result.cpu();
        return String.format(
                "  %s: %d calls in %.2f s = %.1f calls/s; per call p50 %.0f ms p99 %.0f ms;"
                        + " per AGI step (app time) p99 %.2f ms; CPU per call app %.2f ms, Argon2id %.2f ms,"
                        + " PostgreSQL %.2f ms; %d resets, %d mismatches, %d 'unavailable'",
                name,
                result.calls(),
                result.seconds(),
                result.callsPerSecond(),
                result.callMillis(50),
                result.callMillis(99),
                result.stepMillis(99),
                result.perCall(cpu.appNanos()),
                result.perCall(cpu.hashingNanos()),
                result.perCall(cpu.postgresNanos()),
                result.resets(),
                result.mismatches(),
                result.unavailable());
    }

    private static double ratio(double a, double b) {
        return b <= 0 ? Double.NaN : a / b;
    }
}
