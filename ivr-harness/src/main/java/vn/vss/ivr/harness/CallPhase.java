package vn.vss.ivr.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import vn.vss.ivr.harness.simulator.CallTranscript;

/**
 * One phase of a benchmark: {@code n} simulated calls, {@code concurrency} at a time (a new call
 * starts as soon as one ends, or all at once when {@code concurrency >= n}), with the wall time of
 * each call, the app's time at each AGI step, what the callers heard, and the CPU the phase cost.
 */
final class CallPhase {
    /** Places simulated call number {@code i} and returns what happened on it. */
    interface Call {
        CallTranscript place(int i) throws Exception;
    }

    private CallPhase() {}

    /**
     * @param postgres data directory of the PostgreSQL whose CPU is counted, if any
     */
    static Result run(int n, int concurrency, Optional<Path> postgres, Call call) throws Exception {
        return run(n, concurrency, Duration.ZERO, postgres, call);
    }

    /**
     * The same, calls arriving {@code gap} apart (Asterisk does not place a thousand calls in the same
     * millisecond either).
     */
    static Result run(int n, int concurrency, Duration gap, Optional<Path> postgres, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, concurrency)));
        List<Long> callNanos = Collections.synchronizedList(new ArrayList<>());
        List<Long> stepNanos = Collections.synchronizedList(new ArrayList<>());
        CpuUse.Callers callers = new CpuUse.Callers();
        List<Future<CallTranscript>> futures = new ArrayList<>();
        CpuUse.Snapshot before = CpuUse.now(postgres);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> callers.run(() -> {
                    long begin = System.nanoTime();
                    CallTranscript transcript = call.place(index);
                    callNanos.add(System.nanoTime() - begin);
                    stepNanos.addAll(transcript.appStepNanos());
                    return transcript;
                })));
                if (!gap.isZero()) {
                    Thread.sleep(gap.toMillis(), gap.toNanosPart() % 1_000_000);
                }
            }
            List<CallTranscript> transcripts = new ArrayList<>();
            for (Future<CallTranscript> future : futures) {
                transcripts.add(future.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            CpuUse.Spent spent = CpuUse.between(before, CpuUse.now(postgres), callers);
            return Result.of(seconds, callNanos, stepNanos, transcripts, spent);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a phase (or several taken together) measured. */
    record Result(
            int calls,
            double seconds,
            List<Long> callNanos,
            List<Long> stepNanos,
            long commands,
            int resets,
            int mismatches,
            int unavailable,
            CpuUse.Spent cpu) {
        static final Result NONE = new Result(0, 0, List.of(), List.of(), 0, 0, 0, 0, CpuUse.Spent.NONE);

        static Result of(
                double seconds,
                List<Long> callNanos,
                List<Long> stepNanos,
                List<CallTranscript> transcripts,
                CpuUse.Spent cpu) {
            long commands = 0;
            int resets = 0;
            int mismatches = 0;
            int unavailable = 0;
            for (CallTranscript transcript : transcripts) {
                commands += transcript.commands().size();
                List<String> heard = transcript.promptNames();
                if (heard.contains("password-intro")) {
                    resets++;
                } else if (heard.contains("mismatch")) {
                    mismatches++;
                } else if (heard.contains("unavailable")) {
                    unavailable++;
                }
            }
            return new Result(
                    transcripts.size(),
                    seconds,
                    List.copyOf(callNanos),
                    List.copyOf(stepNanos),
                    commands,
                    resets,
                    mismatches,
                    unavailable,
                    cpu);
        }

        /** This phase and another taken as one: calls and times added, latencies pooled. */
        Result and(Result other) {
            List<Long> calls = new ArrayList<>(callNanos);
            calls.addAll(other.callNanos);
            List<Long> steps = new ArrayList<>(stepNanos);
            steps.addAll(other.stepNanos);
            return new Result(
                    this.calls + other.calls,
                    seconds + other.seconds,
                    calls,
                    steps,
                    commands + other.commands,
                    resets + other.resets,
                    mismatches + other.mismatches,
                    unavailable + other.unavailable,
                    cpu.plus(other.cpu));
        }

        double callsPerSecond() {
            return seconds == 0 ? 0 : calls / seconds;
        }

        double callMillis(int percentile) {
            return percentile(callNanos, percentile) / 1e6;
        }

        double stepMillis(int percentile) {
            return percentile(stepNanos, percentile) / 1e6;
        }

        int commandsPerCall() {
            return calls == 0 ? 0 : (int) Math.round(commands / (double) calls);
        }

        /** CPU milliseconds per call of one share of {@link CpuUse.Spent}. */
        double perCall(long nanos) {
            return calls == 0 ? 0 : nanos / 1e6 / calls;
        }
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
