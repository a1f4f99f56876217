package vn.vss.ivr.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * Benchmark, not a test: N simulated keypad calls on loopback, half matches and half wrong numbers,
 * C at a time, against the real server on an embedded PostgreSQL. In the same run it measures a
 * bare asterisk-java script sending the same number of commands and this machine's Argon2id
 * hashes/s, so that the figures can be read as ratios. Then M rightful callers (60 by default) enter
 * their codes at one moment, once with hashing on its bounded pool and once, on a second hotline,
 * with every hash running at once: code-to-password p50/p99 and the heap's high-water mark of each.
 */
public final class KeypadBenchmark {
    /** Rounds of simultaneous matches on each hotline, taken in turns. */
    private static final int MATCH_ROUNDS = 3;
    /** Rounds of one instance against two, taken in turns. */
    private static final int SCALE_OUT_ROUNDS = 2;
    /** Calls of each kind in each round of the CPU measurement (fewer if the run has fewer calls). */
    private static final int CPU_CALLS = 200;

    private static final int CPU_ROUNDS = 2;

    private KeypadBenchmark() {}

    public static int run(Map<String, String> options, PrintStream out) throws Exception {
        int calls = Integer.parseInt(options.getOrDefault("calls", "400"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "50"));
        int matches = Integer.parseInt(options.getOrDefault("matches", "60"));
        int instances = Integer.parseInt(options.getOrDefault("instances", "1"));
        Path dataDir = Files.createTempDirectory("ivr-bench-");
        Map<String, String> env = environment(dataDir.resolve("bounded"));
        out.printf(
                "keypad benchmark: %d calls, %d at a time, %d cores%n",
                calls, concurrency, Runtime.getRuntime().availableProcessors());
        try {
            Matches bounded = Matches.NONE;
            Matches unbounded = Matches.NONE;
            IvrConfig config = IvrConfig.from(env);
            try (Hotline hotline = Hotline.start(config)) {
                seed(hotline, calls);
                FakeAsterisk asterisk = new FakeAsterisk(
                        "127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60));
                warmUp(asterisk);
                // First, so that Argon2id is compiled before calls need it, as on a hotline running for a while.
                double hashesPerSecond = argon2HashesPerSecond();
                Result hotlineResult = measure(calls, concurrency, i -> asterisk.call(script(i)));
                int commandsPerCall = (int) Math.round(hotlineResult.commands / (double) calls);
                Result bare = measureBare(calls, concurrency, commandsPerCall);
                out.println(hotlineResult.describe("hotline (real server, embedded PostgreSQL)"));
                out.printf(
                        "  resets/s: %.1f (%d resets; %d verified callers heard 'unavailable')%n",
                        hotlineResult.resets / hotlineResult.seconds, hotlineResult.resets, hotlineResult.unavailable);
                out.println(bare.describe("bare asterisk-java script, " + commandsPerCall + " NOOP commands per call"));
                out.printf("Argon2id (m=19 MiB, t=2, p=1), one thread: %.1f hashes/s%n", hashesPerSecond);
                out.printf(
                        "ratios: hotline/bare calls/s = %.3f; hotline p50 step / bare p50 step = %.1f; resets/s / hashes/s = %.2f%n",
                        hotlineResult.callsPerSecond() / bare.callsPerSecond(),
                        hotlineResult.stepPercentile(50) / Math.max(1, bare.stepPercentile(50)),
                        hotlineResult.resets / hotlineResult.seconds / hashesPerSecond);
                CpuPerCall.measure(
                        hotline,
                        hotline.database().isEmbedded()
                                ? Optional.of(config.database().embeddedDataDirectory())
                                : Optional.empty(),
                        Math.min(calls, CPU_CALLS),
                        concurrency,
                        CPU_ROUNDS,
                        out);

                // The same matches on a second hotline with every hash running at once, as hashing ran
                // before it had a pool of its own. Rounds alternate between the two, so that other load on
                // the machine weighs on both alike.
                Map<String, String> unboundedEnv = environment(dataDir.resolve("unbounded"));
                unboundedEnv.put("IVR_HASH_THREADS", Integer.toString(Math.min(64, matches)));
                unboundedEnv.put("IVR_HASH_QUEUE", Integer.toString(Math.max(1, matches)));
                unboundedEnv.put("IVR_HASH_WAIT", "30s"); // before the pool, a call waited as long as hashing took
                try (Hotline everyAtOnce = Hotline.start(IvrConfig.from(unboundedEnv))) {
                    FakeAsterisk everyAtOnceAsterisk = new FakeAsterisk(
                            "127.0.0.1", everyAtOnce.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60));
                    warmUp(everyAtOnceAsterisk);
                    int next = calls + 1;
                    for (int round = 0; round < MATCH_ROUNDS; round++) {
                        if (round % 2 == 0) {
                            bounded = bounded.and(simultaneousMatches(hotline, asterisk, matches, next));
                            unbounded = unbounded.and(
                                    simultaneousMatches(everyAtOnce, everyAtOnceAsterisk, matches, next + matches));
                        } else {
                            unbounded =
                                    unbounded.and(simultaneousMatches(everyAtOnce, everyAtOnceAsterisk, matches, next));
                            bounded = bounded.and(simultaneousMatches(hotline, asterisk, matches, next + matches));
                        }
                        next += 2 * matches;
                    }
                }
            }
            out.printf(
                    "%d simultaneous matches, each its own subscriber, %d rounds; code entered to password read (app time):%n",
                    matches, MATCH_ROUNDS);
            out.println(bounded.describe("hashing pool (" + config.hashing().threads() + " threads, queue "
                    + config.hashing().queue() + ")"));
            out.println(unbounded.describe("every hash at once (" + Math.min(64, matches) + " threads)"));
            out.printf(
                    "ratios: pool/every-at-once code-to-password p50 = %.2f, p99 = %.2f; heap high-water = %.2f%n",
                    bounded.percentileMillis(50) / Math.max(0.001, unbounded.percentileMillis(50)),
                    bounded.percentileMillis(99) / Math.max(0.001, unbounded.percentileMillis(99)),
                    bounded.heapPeakBytes / (double) Math.max(1, unbounded.heapPeakBytes));
            if (instances == 2) {
                acrossTwoInstances(calls, concurrency, out);
            }
        } finally {
            deleteQuietly(dataDir);
        }
        return 0;
    }

    /**
     * The same keypad calls (half resets, half wrong numbers) on one instance and on two instances
     * sharing one PostgreSQL, in alternating rounds; then what each instance recorded.
     */
    private static void acrossTwoInstances(int calls, int concurrency, PrintStream out) throws Exception {
        int perPhase = Math.max(1, calls / SCALE_OUT_ROUNDS);
        try (SharedDatabaseInstances instances = SharedDatabaseInstances.start(Map.of())) {
            register(instances.first(), 0, ScaleOut.phases(SCALE_OUT_ROUNDS) * perPhase + 1);
            out.printf(
                    "two instances on one PostgreSQL (both in this JVM, on these %d cores), against the first alone on"
                            + " the same database: %d rounds of %d calls each way, %d at a time, half resets and half"
                            + " wrong numbers; one-two then two-one, after a warm-up; calls to two instances alternate"
                            + " between their FastAGI ports%n",
                    Runtime.getRuntime().availableProcessors(), SCALE_OUT_ROUNDS, perPhase, concurrency);
            ScaleOut.compare(
                    SCALE_OUT_ROUNDS,
                    (two, phase) -> {
                        int first = phase * perPhase;
                        return CallPhase.run(
                                perPhase,
                                concurrency,
                                instances.postgres(),
                                i -> two
                                        ? instances.callInTurn(i, mixedCall(first, i))
                                        : instances.callFirst(mixedCall(first, i)));
                    },
                    out);
            out.println("  " + CpuUse.HOW_MEASURED);
            out.println("  recorded in the shared database: " + instances.recordedCalls());
        }
    }

    private static Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_ENGLISH_VOICE", "false");
        // Half the benchmark's calls are wrong numbers, hundreds a minute: not the guessing run that the
        // hotline-wide ceiling is there to slow, and refusals would skip the lookups being measured.
        env.putIfAbsent("IVR_MAX_FAILURES_PER_MINUTE", "1000000");
        env.putIfAbsent("IVR_EMBEDDED_DB_DIR", dataDir.resolve("postgres").toString());
        env.putIfAbsent("IVR_SOUNDS_DIR", dataDir.resolve("sounds").toString());
        env.putIfAbsent("IVR_SPOOL_FILE", dataDir.resolve("spool.log").toString());
        return env;
    }

    /**
     * {@code n} rightful callers, each with a subscriber of its own, enter their codes at the same
     * moment. Measures, per call, the app's time from the code to the first word of the password
     * (verification pace, lookup, hashing), and the heap's high-water mark meanwhile.
     */
    private static Matches simultaneousMatches(Hotline hotline, FakeAsterisk asterisk, int n, int firstIndex)
            throws Exception {
        register(hotline, firstIndex, n);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, n));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CallTranscript>> futures = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + n; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                start.await();
                return asterisk.call(CallerScript.from(nationalPhone(index))
                        .keys(code(index) + "#")
                        .silence());
            }));
        }
        long heapBefore = HeapHighWater.reset();
        start.countDown();
        List<Long> codeToPassword = new ArrayList<>();
        int unavailable = 0;
        for (Future<CallTranscript> future : futures) {
            CallTranscript transcript = future.get();
            long nanos = codeToPasswordNanos(transcript);
            if (nanos >= 0) {
                codeToPassword.add(nanos);
            } else if (transcript.promptNames().contains("unavailable")) {
                unavailable++;
            }
        }
        long heapPeak = HeapHighWater.peak();
        pool.shutdown();
        return new Matches(n, codeToPassword, unavailable, heapBefore, heapPeak);
    }

    /** App time from the reply carrying the code to the command that plays "password-intro"; -1 if none. */
    private static long codeToPasswordNanos(CallTranscript transcript) {
        List<String> commands = transcript.commands();
        int intro = -1;
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).contains("password-intro")) {
                intro = i;
                break;
            }
        }
        int codeEntry = -1;
        for (int i = 0; i < intro; i++) {
            if (commands.get(i).startsWith("GET DATA")) {
                codeEntry = i;
            }
        }
        if (intro < 0 || codeEntry < 0) {
            return -1;
        }
        long nanos = 0;
        // appStepNanos[k - 1] is the app's time before command k
        for (int k = codeEntry + 1; k <= intro; k++) {
            nanos += transcript.appStepNanos().get(k - 1);
        }
        return nanos;
    }

    /** The figures of one round of simultaneous matches. */
    private record Matches(int calls, List<Long> codeToPassword, int unavailable, long heapBefore, long heapPeakBytes) {
        static final Matches NONE = new Matches(0, List.of(), 0, 0, 0);

        /** Both rounds together: all their calls, and the higher heap figures. */
        Matches and(Matches other) {
            List<Long> all = new ArrayList<>(codeToPassword);
            all.addAll(other.codeToPassword);
            return new Matches(
                    calls + other.calls,
                    all,
                    unavailable + other.unavailable,
                    Math.max(heapBefore, other.heapBefore),
                    Math.max(heapPeakBytes, other.heapPeakBytes));
        }

        double percentileMillis(int p) {
            return percentile(codeToPassword, p) / 1e6;
        }

        String describe(String name) {
            return String.format(
                    "  %s: %d of %d heard a password (%d heard 'unavailable'); code to password p50 %.0f ms,"
                            + " p99 %.0f ms; heap high-water %.0f MiB (%.0f MiB in use before)",
                    name,
                    codeToPassword.size(),
                    calls,
                    unavailable,
                    percentileMillis(50),
                    percentileMillis(99),
                    heapPeakBytes / 1024.0 / 1024.0,
                    heapBefore / 1024.0 / 1024.0);
        }
    }

    /** The heap's high-water mark, from the memory pools' peak usage since the last reset. */
    private static final class HeapHighWater {
        private HeapHighWater() {}

        /** Collects garbage, starts a new peak, and returns the heap in use now. */
        static long reset() {
            System.gc();
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                    used += pool.getUsage().getUsed();
                }
            }
            return used;
        }

        /** The sum of the heap pools' peaks since {@link #reset}. */
        static long peak() {
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            return peak;
        }
    }

    /** Call {@code i}: even calls come from the registered number, odd ones from a wrong number. */
    private static CallerScript script(int i) {
        String code = code(i);
        String from = i % 2 == 0 ? nationalPhone(i) : nationalPhone(i + 1);
        return CallerScript.from(from).keys(code + "#").silence();
    }

    /**
     * Call {@code i} of a phase whose subscribers start at {@code first}: resets and wrong numbers in
     * pairs (two resets, two wrong numbers, ...), so that calls sent to two instances in turn give
     * each instance as many of both.
     */
    private static CallerScript mixedCall(int first, int i) {
        int subscriber = first + i;
        boolean rightful = (i / 2) % 2 == 0;
        String from = rightful ? nationalPhone(subscriber) : nationalPhone(subscriber + 1);
        return CallerScript.from(from).keys(code(subscriber) + "#").silence();
    }

    private static String code(int i) {
        return String.format("9%09d", i);
    }

    private static String nationalPhone(int i) {
        return String.format("09%08d", i);
    }

    private static void seed(Hotline hotline, int calls) throws IOException {
        register(hotline, 0, calls + 1);
    }

    /** Subscribers {@code first} to {@code first + n - 1}: code i registered to +849 and i in 8 digits. */
    private static void register(Hotline hotline, int first, int n) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = first; i < first + n; i++) {
            csv.append(code(i)).append(",+849").append(String.format("%08d", i)).append('\n');
        }
        SubscriberCsvImport.Result result =
                new SubscriberCsvImport(hotline.database().dsl()).importFrom(new StringReader(csv.toString()));
        if (!result.succeeded()) {
            throw new IllegalStateException("the benchmark's subscribers were refused: " + result.problems());
        }
    }

    private static void warmUp(FakeAsterisk asterisk) throws IOException {
        for (int i = 0; i < 3; i++) {
            asterisk.call(
                    CallerScript.from("0900000000").keys("12345#").silence().hangUp());
        }
    }

    private interface Call {
        CallTranscript place(int i) throws Exception;
    }

    private record Result(
            int calls,
            double seconds,
            List<Long> callNanos,
            List<Long> stepNanos,
            long commands,
            int resets,
            int unavailable) {
        double callsPerSecond() {
            return calls / seconds;
        }

        double stepPercentile(int p) {
            return percentile(stepNanos, p) / 1_000.0;
        }

        String describe(String name) {
            return String.format(
                    "%s: %d calls in %.2f s = %.1f calls/s; per call p50 %.1f ms p99 %.1f ms;"
                            + " per AGI step (app time) p50 %.3f ms p99 %.3f ms",
                    name,
                    calls,
                    seconds,
                    callsPerSecond(),
                    percentile(callNanos, 50) / 1e6,
                    percentile(callNanos, 99) / 1e6,
                    percentile(stepNanos, 50) / 1e6,
                    percentile(stepNanos, 99) / 1e6);
        }
    }

    private static Result measure(int calls, int concurrency, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Long> callNanos = Collections.synchronizedList(new ArrayList<>());
        List<Long> stepNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        long commands = 0;
        long started = System.nanoTime();
        List<Future<CallTranscript>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                long begin = System.nanoTime();
                CallTranscript transcript = call.place(n);
                callNanos.add(System.nanoTime() - begin);
                stepNanos.addAll(transcript.appStepNanos());
                if (transcript.promptNames().contains("password-intro")) {
                    resets.incrementAndGet();
                } else if (transcript.promptNames().contains("unavailable")) {
                    unavailable.incrementAndGet();
                }
                return transcript;
            }));
        }
        for (Future<CallTranscript> future : futures) {
            commands += future.get().commands().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return new Result(calls, seconds, callNanos, stepNanos, commands, resets.get(), unavailable.get());
    }

    private static Result measureBare(int calls, int concurrency, int commandsPerCall) throws Exception {
        try (BareAgiScript bare = BareAgiScript.start(commandsPerCall, concurrency)) {
            FakeAsterisk asterisk = bare.asterisk();
            return measure(calls, concurrency, i -> asterisk.call(BareAgiScript.caller()));
        }
    }

    private static double argon2HashesPerSecond() {
        Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(new SecureRandom());
        char[] password = "12345678".toCharArray();
        for (int i = 0; i < 10; i++) {
            hasher.hash(password); // compiled by the JIT before it is timed
        }
        int n = 20;
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            hasher.hash(password);
        }
        return n / ((System.nanoTime() - started) / 1e9);
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
