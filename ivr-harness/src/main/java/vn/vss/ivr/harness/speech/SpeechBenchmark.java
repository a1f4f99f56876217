package vn.vss.ivr.harness.speech;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.adapter.vosk.DecoderSearch;
import vn.vss.ivr.adapter.vosk.DecodingOptions;
import vn.vss.ivr.adapter.vosk.DigitWords;
import vn.vss.ivr.adapter.vosk.VoskSettings;
import vn.vss.ivr.adapter.vosk.VoskSpeechRecognizer;
import vn.vss.ivr.audio.LineNoise;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/**
 * Benchmark, not a test: random 10-digit codes spoken by MaryTTS as English words, recorded as a
 * caller's line would leave them (pause before, 1 s of silence after, white noise, G.711 u-law),
 * recognised by the Vosk adapter. For each way of decoding, from Vosk as it comes to the defaults
 * and beyond, and each line condition, it prints exact-code and per-digit accuracy and latency, and
 * what the caller lives through: the share of callers that end the speech step with the right code
 * and the mean time the step takes. The ways of decoding are added one at a time, so each line
 * shows what one idea adds. Then speed with 1 and 2 decoding threads, and the memory a model takes.
 *
 * <p>Options: {@code --codes N} (200), {@code --seed S} (1), {@code --model DIR}
 * (voice-models/vosk-model-en-us), {@code --end-silence SECONDS} (2, as the call's
 * IVR_SPEECH_SILENCE: the silence after which the recording stops), {@code --variants all|short}
 * (all: every step from plain Vosk to the defaults and beyond, about 30 minutes for 200 codes on 2
 * cores; short: plain Vosk and the defaults only), {@code --grouped yes|no} (yes: also model asking
 * for the code in three groups, each read back).
 */
public final class SpeechBenchmark {
    private static final double[] CONDITIONS = {Double.POSITIVE_INFINITY, 30, 20, 15, 10};
    private static final int CODE_LENGTH = 10;
    private static final double TRAIL_SECONDS = 1.0;

    private final PrintStream out;
    private final int codeCount;
    private final long seed;
    private final Path model;
    private final boolean allVariants;
    private final boolean grouped;
    private final Path recordings;
    private final List<String> codes = new ArrayList<>();
    private final Map<String, short[]> speech = new HashMap<>();
    private final Map<String, Path> rendered = new HashMap<>();
    private final CallerTime callerTime;

    private SpeechBenchmark(Map<String, String> options, PrintStream out) throws IOException {
        this.out = out;
        this.codeCount = Integer.parseInt(option(options, "codes", "200"));
        this.seed = Long.parseLong(option(options, "seed", "1"));
        this.model = Path.of(option(options, "model", "voice-models/vosk-model-en-us"));
        this.allVariants = !"short".equals(option(options, "variants", "all"));
        this.grouped = !"no".equals(option(options, "grouped", "yes"));
        double endSilence = Double.parseDouble(option(options, "end-silence", "2"));
        this.recordings = Files.createTempDirectory("speech-bench-");
        this.callerTime = new CallerTime(endSilence);
        if (codeCount < 1) {
            throw new IllegalArgumentException("--codes must be at least 1");
        }
    }

    /** Runs the benchmark; returns the process exit status. */
    public static int run(Map<String, String> options, PrintStream out) {
        try {
            SpeechBenchmark benchmark = new SpeechBenchmark(options, out);
            try {
                return benchmark.measure();
            } finally {
                benchmark.deleteRecordings();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        String value = options.getOrDefault(name, options.get("--" + name));
        return value == null || value.isBlank() ? fallback : value;
    }

    private int measure() throws IOException, InterruptedException {
        if (!Files.isDirectory(model)) {
            out.println("no Vosk model at " + model + " (run the build, or pass --model DIR)");
            return 2;
        }
        out.printf(
                "speech benchmark: %d codes, seed %d, %d cores, model %s%n",
                codeCount, seed, Runtime.getRuntime().availableProcessors(), model.getFileName());
        long began = System.nanoTime();
        synthesise();
        out.printf("MaryTTS: %d codes spoken in %.0f s%n", codeCount, (System.nanoTime() - began) / 1e9);
        out.println(callerTime.describe());

        List<Variant> variants = variants();
        Map<Variant, Map<Double, Tries>> results = new HashMap<>();
        ProcessMemory memory = null;
        for (Variant variant : variants) {
            long before = ProcessMemory.rssKb();
            try (VoskSpeechRecognizer recognizer = start(variant.options(), 2)) {
                if (memory == null) {
                    memory = ProcessMemory.measure(before);
                }
                Map<Double, Tries> byCondition = new HashMap<>();
                for (double snr : CONDITIONS) {
                    byCondition.put(snr, decodeTries(recognizer, snr, 2));
                }
                results.put(variant, byCondition);
            }
        }
        printAccuracy(variants, results);
        printCallerStep(variants, results);
        printNoisyLineGate(results.get(defaultVariant(variants)));
        printConfidence(results.get(defaultVariant(variants)));
        if (grouped) {
            printGrouped(results.get(defaultVariant(variants)));
        }
        printSpeed();
        out.println(memory.describe());
        out.printf("benchmark took %.0f s%n", (System.nanoTime() - began) / 1e9);
        return 0;
    }

    private List<Variant> variants() {
        DecodingOptions plain = DecodingOptions.plain();
        DecodingOptions adapted = plain.withAdaptationPass(true);
        DecodingOptions digitsOnly = adapted.withUnknownWord(false);
        DecodingOptions nBest = digitsOnly.withAlternatives(20, CODE_LENGTH);
        DecodingOptions denoised = nBest.withNoiseFloorDb(-18);
        DecodingOptions weighted = denoised.withSearch(DecoderSearch.NOISY_LINE);
        DecodingOptions trimmed = weighted.withTrimSilence(true);
        List<Variant> all = List.of(
                new Variant("plain: one pass, grammar with [unk]", plain),
                new Variant("+ adaptation pass", adapted),
                new Variant("+ digit words only", digitsOnly),
                new Variant("+ n-best, prefer 10 digits", nBest),
                new Variant("+ noise reduction", denoised),
                new Variant("+ acoustic scale 2, wider beams", weighted),
                new Variant("+ silence trimming", trimmed));
        if (allVariants) {
            return all;
        }
        return all.stream()
                .filter(v -> v.options().equals(plain) || v.options().equals(DecodingOptions.defaults()))
                .toList();
    }

    private static Variant defaultVariant(List<Variant> variants) {
        return variants.stream()
                .filter(v -> v.options().equals(DecodingOptions.defaults()))
                .findFirst()
                .orElse(variants.get(variants.size() - 1));
    }

    private record Variant(String name, DecodingOptions options) {
        String label() {
            return name + (options.equals(DecodingOptions.defaults()) ? " (defaults)" : "");
        }
    }

    // ---- audio -------------------------------------------------------------------------------

    private void synthesise() {
        Random random = new Random(seed);
        MaryTtsSpeechSynthesizer mary = MaryTtsSpeechSynthesizer.start();
        for (int i = 0; i < codeCount; i++) {
            StringBuilder code = new StringBuilder();
            for (int d = 0; d < CODE_LENGTH; d++) {
                code.append((char) ('0' + random.nextInt(10)));
            }
            codes.add(code.toString());
            speech.put(code.toString(), mary.speak(DigitWords.spoken(code.toString(), Language.EN)));
            if (grouped) {
                for (String group : groups(code.toString())) {
                    speech.computeIfAbsent(group, g -> mary.speak(DigitWords.spoken(g, Language.EN)));
                }
            }
        }
        callerTime.measurePrompts(mary);
    }

    private static List<String> groups(String code) {
        return List.of(code.substring(0, 3), code.substring(3, 6), code.substring(6));
    }

    /** The recording of one try, the same for every variant: seeded by code, condition and try. */
    private Path recording(String words, double snr, int attempt) throws IOException {
        String key = words + "/" + snr + "/" + attempt;
        Path path = rendered.get(key);
        if (path == null) {
            Random random = new Random(Objects.hash(seed, words, snr, attempt));
            double lead = 0.2 + 0.6 * random.nextDouble();
            short[] samples = TelephoneLine.record(speech.get(words), lead, TRAIL_SECONDS, snr, random);
            path = recordings.resolve("r" + rendered.size() + ".wav");
            Files.write(path, TelephoneAudio.wav(samples));
            rendered.put(key, path);
        }
        return path;
    }

    private static double seconds(Path wav) throws IOException {
        return (Files.size(wav) - 44) / 2.0 / TelephoneAudio.SAMPLE_RATE;
    }

    private void deleteRecordings() {
        try (Stream<Path> files = Files.list(recordings)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(recordings);
        } catch (IOException e) {
            out.println("could not delete " + recordings + ": " + e.getMessage());
        }
    }

    // ---- decoding ----------------------------------------------------------------------------

    private VoskSpeechRecognizer start(DecodingOptions options, int threads) throws InterruptedException {
        VoskSettings settings = VoskSettings.defaults()
                .withDecodingThreads(threads)
                .withTimeLimit(Duration.ofSeconds(20))
                .withDecoding(options)
                // Every recording is decoded here; the noisy-line gate is modelled in the caller's time.
                .withLeastSnrDb(Double.NEGATIVE_INFINITY);
        VoskSpeechRecognizer recognizer =
                VoskSpeechRecognizer.start(Map.of(Language.EN, model), settings, new SimpleMeterRegistry());
        if (!recognizer.awaitModels(Duration.ofMinutes(2))) {
            recognizer.close();
            throw new IllegalStateException("the Vosk model at " + model + " did not load");
        }
        return recognizer;
    }

    /** The first try of every code and, for those that failed, a second try of the same code. */
    record Tries(List<Decoded> first, Map<Integer, Decoded> second) {}

    private Tries decodeTries(VoskSpeechRecognizer recognizer, double snr, int clients)
            throws IOException, InterruptedException {
        List<Path> firstFiles = new ArrayList<>();
        for (String code : codes) {
            firstFiles.add(recording(code, snr, 1));
        }
        List<Decoded> first = decodeAll(recognizer, codes, firstFiles, clients);
        List<String> again = new ArrayList<>();
        List<Path> againFiles = new ArrayList<>();
        List<Integer> againIndex = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            if (!first.get(i).exact()) {
                again.add(codes.get(i));
                againFiles.add(recording(codes.get(i), snr, 2));
                againIndex.add(i);
            }
        }
        List<Decoded> secondList = decodeAll(recognizer, again, againFiles, clients);
        Map<Integer, Decoded> second = new HashMap<>();
        for (int k = 0; k < againIndex.size(); k++) {
            second.put(againIndex.get(k), secondList.get(k));
        }
        return new Tries(first, second);
    }

    private static List<Decoded> decodeAll(
            VoskSpeechRecognizer recognizer, List<String> expected, List<Path> files, int clients)
            throws InterruptedException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Decoded>> futures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String code = expected.get(i);
                Path file = files.get(i);
                double audio = seconds(file);
                futures.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    Recognition recognition = recognizer.recognizeDigits(file, Language.EN);
                    double latency = (System.nanoTime() - began) / 1e9;
                    TelephoneAudio.Pcm pcm = TelephoneAudio.read(file);
                    double snr = LineNoise.snrDb(pcm.samples(), pcm.sampleRate());
                    return new Decoded(code, recognition, latency, audio, snr);
                }));
            }
            List<Decoded> decoded = new ArrayList<>();
            for (Future<Decoded> future : futures) {
                decoded.add(future.get());
            }
            return decoded;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- reports -----------------------------------------------------------------------------

    private void printAccuracy(List<Variant> variants, Map<Variant, Map<Double, Tries>> results) {
        out.println();
        out.println("Recognition, first try, u-law telephone audio, 2 decoding threads:");
        out.printf(
                "  %-44s %-6s %7s %7s %8s %8s %7s %7s %6s%n",
                "decoding", "line", "exact", "digits", "no code", "wrong10", "p50 ms", "p95 ms", "RTF");
        for (Variant variant : variants) {
            for (double snr : CONDITIONS) {
                List<Decoded> first = results.get(variant).get(snr).first();
                double[] latency = first.stream()
                        .mapToDouble(Decoded::latencySeconds)
                        .sorted()
                        .toArray();
                double audio = first.stream().mapToDouble(Decoded::audioSeconds).sum();
                double busy = Arrays.stream(latency).sum();
                out.printf(
                        "  %-44s %-6s %6.1f%% %6.1f%% %7.1f%% %7.1f%% %7.0f %7.0f %6.3f%n",
                        variant.label(),
                        line(snr),
                        percent(first, Decoded::exact),
                        100
                                * first.stream()
                                        .mapToDouble(Decoded::digitAccuracy)
                                        .average()
                                        .orElse(0),
                        percent(first, d -> !d.readBack()),
                        percent(first, d -> d.readBack() && !d.exact()),
                        1000 * percentile(latency, 50),
                        1000 * percentile(latency, 95),
                        busy / audio);
            }
        }
        out.println("  exact: whole code right; digits: 1 - edit distance / 10; no code: not 10 digits (the call"
                + " says it did not understand); wrong10: 10 digits but wrong (the caller must reject the read-back);"
                + " p50/p95: from the end of the recording to the result; RTF: decoding time / audio time");
    }

    private void printCallerStep(List<Variant> variants, Map<Variant, Map<Double, Tries>> results) {
        out.println();
        out.printf(
                "The speech step as the caller lives it (ask, speak, %.1f s of silence ends the recording, read-back,"
                        + " press 1 or 2; at most 2 spoken tries, then the keypad; keypad alone takes %.1f s):%n",
                callerTime.endSilence(), callerTime.keypadOnly());
        out.printf("  %-44s %-6s %14s %12s %10s%n", "decoding", "line", "right by speech", "to keypad", "mean time");
        for (Variant variant : variants) {
            for (double snr : CONDITIONS) {
                Tries tries = results.get(variant).get(snr);
                int bySpeech = 0;
                double total = 0;
                for (int i = 0; i < codes.size(); i++) {
                    CallerTime.Step step = callerTime.wholeCode(
                            tries.first().get(i), tries.second().get(i));
                    bySpeech += step.bySpeech() ? 1 : 0;
                    total += step.seconds();
                }
                out.printf(
                        "  %-44s %-6s %13.1f%% %11.1f%% %9.1f s%n",
                        variant.label(),
                        line(snr),
                        100.0 * bySpeech / codes.size(),
                        100.0 * (codes.size() - bySpeech) / codes.size(),
                        total / codes.size());
            }
        }
    }

    /**
     * The call does not decode an answer whose speech stands under {@link VoskSettings#NOISY_LINE_DB}
     * above the line noise: it says so and goes to the keypad. What that changes for the caller.
     */
    private void printNoisyLineGate(Map<Double, Tries> results) {
        out.println();
        out.printf(
                "Noisy-line gate (defaults): answers under %.0f dB over the line noise go straight to the keypad%n",
                VoskSettings.NOISY_LINE_DB);
        out.printf(
                "  %-6s %14s %10s %14s %18s %10s%n",
                "line", "line estimate", "gated", "right by speech", "mean time, gated", "ungated");
        for (double snr : CONDITIONS) {
            Tries tries = results.get(snr);
            double[] estimates = tries.first().stream()
                    .mapToDouble(Decoded::lineSnrDb)
                    .sorted()
                    .toArray();
            int gated = 0;
            int bySpeech = 0;
            double gatedTime = 0;
            double ungatedTime = 0;
            for (int i = 0; i < codes.size(); i++) {
                Decoded first = tries.first().get(i);
                Decoded second = tries.second().get(i);
                CallerTime.Step step = callerTime.wholeCode(first, second, VoskSettings.NOISY_LINE_DB);
                gated += LineNoise.tooNoisy(first.lineSnrDb(), VoskSettings.NOISY_LINE_DB) ? 1 : 0;
                bySpeech += step.bySpeech() ? 1 : 0;
                gatedTime += step.seconds();
                ungatedTime += callerTime.wholeCode(first, second).seconds();
            }
            out.printf(
                    "  %-6s %8.1f dB p50 %9.1f%% %13.1f%% %16.1f s %8.1f s%n",
                    line(snr),
                    percentile(estimates, 50),
                    100.0 * gated / codes.size(),
                    100.0 * bySpeech / codes.size(),
                    gatedTime / codes.size(),
                    ungatedTime / codes.size());
        }
    }

    /** Whether a low digit confidence would tell a wrong read-back from a right one beforehand. */
    private void printConfidence(Map<Double, Tries> results) {
        out.println();
        out.println("Digit confidences of 10-digit readings (defaults): share with a digit below 0.5");
        for (double snr : CONDITIONS) {
            List<Decoded> readBack =
                    results.get(snr).first().stream().filter(Decoded::readBack).toList();
            List<Decoded> right = readBack.stream().filter(Decoded::exact).toList();
            List<Decoded> wrong = readBack.stream().filter(d -> !d.exact()).toList();
            out.printf(
                    "  %-6s right readings %5.1f%% of %3d, wrong readings %5.1f%% of %3d%n",
                    line(snr),
                    percent(right, SpeechBenchmark::doubtful),
                    right.size(),
                    percent(wrong, SpeechBenchmark::doubtful),
                    wrong.size());
        }
    }

    private static boolean doubtful(Decoded decoded) {
        return decoded.recognition().confidences().stream().anyMatch(c -> c < 0.5);
    }

    /**
     * The code asked for in three groups (3, 3 and 4 digits), each read back and confirmed, each with
     * at most 2 spoken tries; a group that fails twice sends the caller to the keypad for the code.
     */
    private void printGrouped(Map<Double, Tries> wholeCode) throws IOException, InterruptedException {
        out.println();
        out.println("Asking for the code in three groups (3-3-4), each read back, next to the whole code (defaults):");
        out.printf(
                "  %-6s %12s %14s %10s %18s %10s%n",
                "line", "group exact", "right by speech", "mean time", "whole: by speech", "mean time");
        Map<Integer, VoskSpeechRecognizer> byLength = new HashMap<>();
        try {
            for (int length : new int[] {3, 4}) {
                byLength.put(length, start(DecodingOptions.defaults().withAlternatives(20, length), 2));
            }
            for (double snr : CONDITIONS) {
                List<String> groups = new ArrayList<>();
                codes.forEach(code -> groups.addAll(groups(code)));
                List<Decoded> firsts = decodeGroups(byLength, groups, snr, 1);
                List<Decoded> seconds = new ArrayList<>();
                List<String> again = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    if (!firsts.get(i).exact()) {
                        again.add(groups.get(i));
                    }
                }
                List<Decoded> retried = decodeGroups(byLength, again, snr, 2);
                for (int i = 0, k = 0; i < groups.size(); i++) {
                    seconds.add(firsts.get(i).exact() ? null : retried.get(k++));
                }
                int bySpeech = 0;
                double total = 0;
                for (int c = 0; c < codes.size(); c++) {
                    CallerTime.Step step =
                            callerTime.grouped(firsts.subList(3 * c, 3 * c + 3), seconds.subList(3 * c, 3 * c + 3));
                    bySpeech += step.bySpeech() ? 1 : 0;
                    total += step.seconds();
                }
                Tries tries = wholeCode.get(snr);
                int wholeBySpeech = 0;
                double wholeTotal = 0;
                for (int i = 0; i < codes.size(); i++) {
                    CallerTime.Step step = callerTime.wholeCode(
                            tries.first().get(i), tries.second().get(i));
                    wholeBySpeech += step.bySpeech() ? 1 : 0;
                    wholeTotal += step.seconds();
                }
                out.printf(
                        "  %-6s %11.1f%% %13.1f%% %8.1f s %17.1f%% %8.1f s%n",
                        line(snr),
                        percent(firsts, Decoded::exact),
                        100.0 * bySpeech / codes.size(),
                        total / codes.size(),
                        100.0 * wholeBySpeech / codes.size(),
                        wholeTotal / codes.size());
            }
        } finally {
            byLength.values().forEach(VoskSpeechRecognizer::close);
        }
    }

    /** Decodes groups of digits, each by the recogniser that expects its length, in the given order. */
    private List<Decoded> decodeGroups(
            Map<Integer, VoskSpeechRecognizer> byLength, List<String> groups, double snr, int attempt)
            throws IOException, InterruptedException {
        Decoded[] decoded = new Decoded[groups.size()];
        for (Map.Entry<Integer, VoskSpeechRecognizer> recognizer : byLength.entrySet()) {
            List<Integer> indexes = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).length() == recognizer.getKey()) {
                    indexes.add(i);
                    expected.add(groups.get(i));
                    files.add(recording(groups.get(i), snr, attempt));
                }
            }
            List<Decoded> results = decodeAll(recognizer.getValue(), expected, files, 2);
            for (int k = 0; k < indexes.size(); k++) {
                decoded[indexes.get(k)] = results.get(k);
            }
        }
        return Arrays.asList(decoded);
    }

    private void printSpeed() throws IOException, InterruptedException {
        out.println();
        int count = Math.min(codes.size(), 100);
        List<String> some = codes.subList(0, count);
        List<Path> files = new ArrayList<>();
        for (String code : some) {
            files.add(recording(code, Double.POSITIVE_INFINITY, 1));
        }
        double audio = 0;
        for (Path file : files) {
            audio += seconds(file);
        }
        out.printf("Speed, defaults, %d clean recordings (%.0f s of audio):%n", count, audio);
        for (int threads : new int[] {1, 2}) {
            try (VoskSpeechRecognizer recognizer = start(DecodingOptions.defaults(), threads)) {
                decodeAll(recognizer, some.subList(0, Math.min(4, count)), files.subList(0, Math.min(4, count)), 1);
                long began = System.nanoTime();
                List<Decoded> decoded = decodeAll(recognizer, some, files, threads);
                double wall = (System.nanoTime() - began) / 1e9;
                double[] latency = decoded.stream()
                        .mapToDouble(Decoded::latencySeconds)
                        .sorted()
                        .toArray();
                out.printf(
                        "  %d thread(s): %5.2f codes/s, %5.1fx real time (RTF %.3f), latency p50 %4.0f ms, p95 %4.0f ms;"
                                + " from the end of speech add the %.1f s of silence that ends the recording%n",
                        threads,
                        count / wall,
                        audio / wall,
                        wall / audio,
                        1000 * percentile(latency, 50),
                        1000 * percentile(latency, 95),
                        callerTime.endSilence());
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String line(double snr) {
        return Double.isInfinite(snr) ? "clean" : String.format("%.0f dB", snr);
    }

    private static double percent(List<Decoded> decoded, Predicate<Decoded> test) {
        return decoded.isEmpty() ? 0 : 100.0 * decoded.stream().filter(test).count() / decoded.size();
    }

    private static double percentile(double[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
