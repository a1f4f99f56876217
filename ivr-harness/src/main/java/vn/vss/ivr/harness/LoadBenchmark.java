package vn.vss.ivr.harness;

import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * Load and soak runs, not tests: simulated calls on loopback against the real server and an
 * embedded PostgreSQL, bounded in calls and time. {@code load} holds N calls open at once;
 * {@code soak} places calls at a steady rate for M minutes and prints heap, threads, file
 * descriptors and database connections each minute, so that a leak shows as a slope.
 */
public final class LoadBenchmark {
    private LoadBenchmark() {}

    public static int load(Map<String, String> options, PrintStream out) throws Exception {
        int calls = Integer.parseInt(options.getOrDefault("calls", "2000"));
        int holdSeconds = Integer.parseInt(options.getOrDefault("hold-seconds", "30"));
        // Asterisk cannot place 2,000 calls in the same millisecond either: arrivals spread over a ramp.
        int rampSeconds = Integer.parseInt(options.getOrDefault("ramp-seconds", "10"));
        if (Integer.parseInt(options.getOrDefault("instances", "1")) == 2) {
            return loadAcrossTwoInstances(calls, holdSeconds, rampSeconds, out);
        }
        try (Run run = Run.start(calls + 100)) {
            run.seed(calls);
            // A caller who keys nothing hears welcome, three prompts and time-outs: ~45 s of call time.
            FakeAsterisk asterisk = run.asterisk().inRealTime(holdSeconds / 45.0);
            ExecutorService callers = Executors.newFixedThreadPool(calls);
            AtomicInteger peak = new AtomicInteger();
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
            watch.scheduleAtFixedRate(
                    () -> peak.accumulateAndGet(run.hotline.activeCalls(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
            out.printf(
                    "load: %d calls at once (arriving over %d s), each held about %d s%n",
                    calls, rampSeconds, holdSeconds);
            out.println("before: " + run.resources());
            long started = System.nanoTime();
            List<Future<CallTranscript>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                CallerScript script = heldCall(i, i % 10 == 0);
                results.add(callers.submit(() -> asterisk.call(script)));
                if (rampSeconds > 0) {
                    Thread.sleep(rampSeconds * 1_000L / calls);
                }
            }
            Thread.sleep(holdSeconds * 500L);
            out.println("while held: " + run.resources());
            Outcomes outcomes = Outcomes.of(results);
            double seconds = (System.nanoTime() - started) / 1e9;
            watch.shutdownNow();
            callers.shutdownNow();
            out.printf(
                    "done in %.1f s: peak %d calls in progress at once; %d finished as expected, %d refused, %d failed%s%n",
                    seconds,
                    peak.get(),
                    outcomes.completed,
                    outcomes.refused,
                    outcomes.failed,
                    outcomes.firstFailure.isEmpty() ? "" : " (first failure: " + outcomes.firstFailure + ")");
            Thread.sleep(2_000);
            out.println("after: " + run.resources());
            CpuPerCall.measure(
                    run.hotline,
                    Optional.of(run.directory.resolve("postgres")),
                    Math.min(calls, CPU_CALLS),
                    Math.min(calls, CPU_CONCURRENCY),
                    CPU_ROUNDS,
                    out);
        }
        return 0;
    }

    /** Rounds of one instance against two, taken in turns. */
    private static final int SCALE_OUT_ROUNDS = 2;
    /** Calls of each kind in each round of the CPU measurement (fewer if the run has fewer calls). */
    private static final int CPU_CALLS = 100;

    private static final int CPU_CONCURRENCY = 50;
    private static final int CPU_ROUNDS = 2;

    /**
     * N calls held open at once on one instance, then spread over two instances sharing one
     * PostgreSQL, in alternating rounds: calls/s, per-call and per-step p99 of each, and the ratio.
     */
    private static int loadAcrossTwoInstances(int calls, int holdSeconds, int rampSeconds, PrintStream out)
            throws Exception {
        try (SharedDatabaseInstances instances =
                SharedDatabaseInstances.start(Map.of("IVR_AGI_MAX_CALLS", Integer.toString(calls + 100)))) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < ScaleOut.phases(SCALE_OUT_ROUNDS) * calls; i++) {
                csv.append(code(i)).append(',').append(phone(i)).append('\n');
            }
            instances.register(csv);
            double scale = holdSeconds / 45.0;
            Duration gap = Duration.ofNanos(rampSeconds * 1_000_000_000L / Math.max(1, calls));
            out.printf(
                    "load on two instances sharing one PostgreSQL (both in this JVM, on these %d cores), against the"
                            + " first alone on the same database: %d calls at once (arriving over %d s), each held about"
                            + " %d s, one in ten keying its code; %d rounds, one-two then two-one, after a"
                            + " warm-up; calls to two instances alternate between their FastAGI ports%n",
                    Runtime.getRuntime().availableProcessors(), calls, rampSeconds, holdSeconds, SCALE_OUT_ROUNDS);
            ScaleOut.compare(
                    SCALE_OUT_ROUNDS,
                    (two, phase) -> {
                        int first = phase * calls;
                        return CallPhase.run(calls, calls, gap, instances.postgres(), i -> {
                            // Keying callers in pairs, so that calls sent in turn give each instance as many.
                            CallerScript script = heldCall(first + i, i % 20 < 2);
                            return two ? instances.callInTurn(i, script, scale) : instances.callFirst(script, scale);
                        });
                    },
                    out);
            out.println("  " + CpuUse.HOW_MEASURED);
            out.println("  recorded in the shared database: " + instances.recordedCalls());
            CpuPerCall.measure(
                    instances.first(),
                    instances.postgres(),
                    Math.min(calls, CPU_CALLS),
                    Math.min(calls, CPU_CONCURRENCY),
                    CPU_ROUNDS,
                    out);
        }
        return 0;
    }

    /** A caller who keys their code after a silence, or one who stays silent until told goodbye. */
    private static CallerScript heldCall(int i, boolean keysTheCode) {
        return keysTheCode
                ? CallerScript.from(phone(i)).silence().keys(code(i) + "#")
                : CallerScript.from(phone(i)).silence().silence().silence();
    }

    public static int soak(Map<String, String> options, PrintStream out) throws Exception {
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "30"));
        double perSecond = Double.parseDouble(options.getOrDefault("rate", "5"));
        int callSeconds = Integer.parseInt(options.getOrDefault("call-seconds", "10"));
        try (Run run = Run.start(2_000)) {
            int budget = (int) Math.ceil(minutes * 60 * perSecond) + 10;
            run.seed(budget);
            FakeAsterisk asterisk = run.asterisk().inRealTime(callSeconds / 45.0);
            ExecutorService callers = Executors.newCachedThreadPool();
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor();
            arrivals.scheduleAtFixedRate(
                    () -> {
                        int i = next.getAndIncrement();
                        if (i >= budget) {
                            return;
                        }
                        callers.submit(() -> {
                            try {
                                CallerScript script = i % 3 == 0
                                        ? CallerScript.from(phone(i)).silence().keys(code(i) + "#")
                                        : CallerScript.from(phone(i))
                                                .silence()
                                                .silence()
                                                .silence();
                                asterisk.call(script);
                                done.incrementAndGet();
                            } catch (IOException | RuntimeException e) {
                                failed.incrementAndGet();
                            }
                        });
                    },
                    0,
                    (long) (1_000_000 / perSecond),
                    TimeUnit.MICROSECONDS);
            out.printf("soak: %.1f calls/s for %d min, calls of about %d s%n", perSecond, minutes, callSeconds);
            out.println("minute " + run.resources().header());
            List<Resources> samples = new ArrayList<>();
            for (int minute = 1; minute <= minutes; minute++) {
                Thread.sleep(60_000);
                Resources now = run.resources();
                samples.add(now);
                out.printf("%6d %s  calls done %d, failed %d%n", minute, now.row(), done.get(), failed.get());
            }
            arrivals.shutdownNow();
            callers.shutdown();
            callers.awaitTermination(2, TimeUnit.MINUTES);
            if (samples.size() >= 2) {
                Resources first = samples.get(0);
                Resources last = samples.get(samples.size() - 1);
                out.printf(
                        "last/first minute: heap %.2f, threads %.2f, fds %.2f, db connections %.2f%n",
                        ratio(last.heapMb, first.heapMb),
                        ratio(last.threads, first.threads),
                        ratio(last.fds, first.fds),
                        ratio(last.dbConnections, first.dbConnections));
            }
        }
        return 0;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static String code(int i) {
        return String.format("8%09d", i);
    }

    private static String phone(int i) {
        return String.format("08%08d", i);
    }

    /** A hotline of its own in a temporary directory. */
    private static final class Run implements AutoCloseable {
        private final Path directory;
        private final Hotline hotline;

        private Run(Path directory, Hotline hotline) {
            this.directory = directory;
            this.hotline = hotline;
        }

        static Run start(int maxCalls) throws IOException {
            Path directory = Files.createTempDirectory("ivr-load-");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("IVR_AGI_PORT", "0");
            env.put("IVR_HTTP_PORT", "0");
            env.put("IVR_ENGLISH_VOICE", "false");
            env.put("IVR_AGI_MAX_CALLS", Integer.toString(maxCalls));
            env.put("IVR_EMBEDDED_DB_DIR", directory.resolve("postgres").toString());
            env.put("IVR_SOUNDS_DIR", directory.resolve("sounds").toString());
            env.put("IVR_SPOOL_FILE", directory.resolve("spool.log").toString());
            // The CPU measurement's wrong numbers, hundreds a minute, are not the guessing run that the
            // hotline-wide ceiling is there to slow: refused, they would skip the lookups being measured.
            env.putIfAbsent("IVR_MAX_FAILURES_PER_MINUTE", "1000000");
            return new Run(directory, Hotline.start(IvrConfig.from(env)));
        }

        void seed(int n) throws IOException {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < n; i++) {
                csv.append(code(i)).append(',').append(phone(i)).append('\n');
            }
            var result = new SubscriberCsvImport(hotline.database().dsl()).importFrom(new StringReader(csv.toString()));
            if (!result.succeeded()) {
                throw new IllegalStateException(result.problems().toString());
            }
        }

        FakeAsterisk asterisk() {
            return new FakeAsterisk(
                    "127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofMinutes(5));
        }

        Resources resources() {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            long fds;
            try (var list = Files.list(Path.of("/proc/self/fd"))) {
                fds = list.count();
            } catch (IOException e) {
                fds = -1;
            }
            Gauge connections = hotline.registry().find("hikaricp.connections").gauge();
            return new Resources(
                    heap / 1_048_576.0,
                    threads,
                    fds,
                    connections == null ? -1 : connections.value(),
                    hotline.activeCalls(),
                    rssMb());
        }

        @Override
        public void close() {
            hotline.close();
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temporary files
            }
        }
    }

    private record Resources(
            double heapMb, int threads, long fds, double dbConnections, int activeCalls, double rssMb) {
        String header() {
            return String.format("%9s %8s %6s %8s %8s %8s", "heap MB", "threads", "fds", "db conns", "calls", "RSS MB");
        }

        String row() {
            return String.format(
                    "%9.1f %8d %6d %8.0f %8d %8.0f", heapMb, threads, fds, dbConnections, activeCalls, rssMb);
        }

        @Override
        public String toString() {
            return String.format(
                    "heap %.1f MB, %d threads, %d fds, %.0f db connections, %d calls in progress, RSS %.0f MB (app and simulated callers in one JVM)",
                    heapMb, threads, fds, dbConnections, activeCalls, rssMb);
        }
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException ignored) {
            // not on Linux
        }
        return -1;
    }

    private record Outcomes(int completed, int refused, int failed, String firstFailure) {
        static Outcomes of(List<Future<CallTranscript>> results) {
            int completed = 0;
            int refused = 0;
            int failed = 0;
            String firstFailure = "";
            for (Future<CallTranscript> result : results) {
                try {
                    CallTranscript call = result.get(10, TimeUnit.MINUTES);
                    if (call.promptNames().equals(List.of("unavailable"))) {
                        refused++;
                    } else if (call.promptNames().contains("goodbye")
                            || call.promptNames().contains("too-many-tries")) {
                        completed++;
                    } else {
                        failed++;
                        firstFailure = firstFailure.isEmpty() ? "heard " + call.promptNames() : firstFailure;
                    }
                } catch (Exception e) {
                    failed++;
                    firstFailure = firstFailure.isEmpty() ? String.valueOf(e.getCause()) : firstFailure;
                }
            }
            return new Outcomes(completed, refused, failed, firstFailure);
        }
    }
}
