package vn.vss.ivr.adapter.vosk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.audio.LineNoise;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;
import vn.vss.ivr.call.SpeechRecognizer;

/**
 * Spoken digits by Vosk, in-process. Each utterance is decoded on a bounded pool within a time
 * limit; a failure or time-out is {@link Recognition#failed()}, and a run of them opens a circuit
 * breaker that sends every caller to the keypad until a test decoding succeeds again.
 *
 * <p>Metrics: {@code ivr.recognitions} (tag {@code result}: recognized, rejected, noisy, failed, timeout),
 * {@code ivr.recognition} (time from the end of the recording to the result) and {@code
 * ivr.recognizer.breaker.open} (0 or 1). What was recognised is never logged, at most its length.
 */
public final class VoskSpeechRecognizer implements SpeechRecognizer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoskSpeechRecognizer.class);
    /** Shorter than this is no utterance: a hang-up during the beep, or a header without data. */
    private static final Duration SHORTEST_UTTERANCE = Duration.ofMillis(100);
    /** What a probe decodes: half a second of silence, which any healthy decoder gets through. */
    private static final short[] PROBE = new short[TelephoneAudio.SAMPLE_RATE / 2];

    private final UtteranceDecoder decoder;
    private final VoskSettings settings;
    private final CircuitBreaker breaker;
    private final ThreadPoolExecutor pool;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);
    private final Timer latency;

    private enum Result {
        RECOGNIZED("recognized"),
        REJECTED("rejected"),
        TOO_NOISY("noisy"),
        FAILED("failed"),
        TIMEOUT("timeout");

        private final String tag;

        Result(String tag) {
            this.tag = tag;
        }
    }

    VoskSpeechRecognizer(UtteranceDecoder decoder, VoskSettings settings, MeterRegistry registry, Clock clock) {
        this.decoder = decoder;
        this.settings = settings;
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCooldown(), clock);
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                settings.decodingThreads(),
                settings.decodingThreads(),
                0,
                TimeUnit.MILLISECONDS,
                settings.queueCapacity() == 0
                        ? new SynchronousQueue<>()
                        : new ArrayBlockingQueue<>(settings.queueCapacity()),
                runnable -> {
                    Thread thread = new Thread(runnable, "vosk-decoder-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        for (Result result : Result.values()) {
            results.put(
                    result,
                    Counter.builder("ivr.recognitions")
                            .description("Spoken codes by result")
                            .tag("result", result.tag)
                            .register(registry));
        }
        this.latency = Timer.builder("ivr.recognition")
                .description("Time from the end of a recording to its recognition")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("ivr.recognizer.breaker.open", breaker, b -> b.isOpen() ? 1 : 0)
                .description("1 while speech recognition is switched off after repeated failures")
                .register(registry);
    }

    /**
     * Starts the recogniser and loads each language's model in the background; until a model is
     * loaded (or if its directory is missing) {@link #accepts} is false for that language.
     *
     * @param modelDirectories the unpacked Vosk model of each language; a language may be absent
     */
    public static VoskSpeechRecognizer start(
            Map<Language, Path> modelDirectories, VoskSettings settings, MeterRegistry registry) {
        return start(modelDirectories, settings, registry, Clock.systemUTC());
    }

    static VoskSpeechRecognizer start(
            Map<Language, Path> modelDirectories, VoskSettings settings, MeterRegistry registry, Clock clock) {
        VoskModels models =
                VoskModels.load(modelDirectories, settings.decoding().search());
        return new VoskSpeechRecognizer(new VoskDigitDecoder(models, settings.decoding()), settings, registry, clock);
    }

    /**
     * Waits until every model found at start has loaded or failed to (start-up does not wait); false
     * if one failed or the wait ran out.
     */
    public boolean awaitModels(Duration timeout) throws InterruptedException {
        return decoder.awaitModels(timeout);
    }

    @Override
    public boolean accepts(Language language) {
        probeIfDue();
        return decoder.ready(language) && !breaker.isOpen();
    }

    @Override
    public Recognition recognizeDigits(Path recording, Language language) {
        long began = System.nanoTime();
        Result result = Result.FAILED;
        Recognition recognition = Recognition.failed();
        try {
            recognition = recognize(recording, language);
            result = switch (recognition.status()) {
                case DIGITS -> Result.RECOGNIZED;
                case UNCLEAR -> Result.REJECTED;
                case TOO_NOISY -> Result.TOO_NOISY;
                case FAILED -> Result.FAILED;
            };
        } catch (TimeoutException e) {
            result = Result.TIMEOUT;
            log.warn(
                    "speech recognition timed out after {} ms",
                    settings.timeLimit().toMillis());
        } finally {
            long nanos = System.nanoTime() - began;
            latency.record(nanos, TimeUnit.NANOSECONDS);
            results.get(result).increment();
            log.debug(
                    "speech recognition: {}, {} digit(s), {} ms",
                    result.tag,
                    recognition.digits().length(),
                    nanos / 1_000_000);
        }
        return recognition;
    }

    private Recognition recognize(Path recording, Language language) throws TimeoutException {
        probeIfDue();
        if (!decoder.ready(language)) {
            log.warn("no speech model ready for {}", language);
            return Recognition.failed();
        }
        if (breaker.isOpen()) {
            return Recognition.failed();
        }
        TelephoneAudio.Pcm pcm;
        try {
            pcm = TelephoneAudio.read(recording);
        } catch (IOException | RuntimeException e) {
            log.warn("recording cannot be read: {}", e.toString());
            return Recognition.failed();
        }
        if (pcm.duration().compareTo(SHORTEST_UTTERANCE) < 0) {
            return Recognition.unclear();
        }
        // Not worth decoding: on such a line most codes come out wrong, and each wrong read-back
        // costs the caller a paid quarter of a minute before the keypad anyway.
        double snr = LineNoise.snrDb(pcm.samples(), pcm.sampleRate());
        if (LineNoise.tooNoisy(snr, settings.leastSnrDb())) {
            log.info(
                    "speech over line noise {} dB, under {} dB: sent to the keypad",
                    String.format("%.0f", snr),
                    String.format("%.0f", settings.leastSnrDb()));
            return Recognition.tooNoisy();
        }
        return decodeInTime(pcm, language);
    }

    private Recognition decodeInTime(TelephoneAudio.Pcm pcm, Language language) throws TimeoutException {
        long deadline = System.nanoTime() + settings.timeLimit().toNanos();
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<Recognition> decoding;
        try {
            decoding = pool.submit(() -> decoder.decode(pcm.samples(), pcm.sampleRate(), language, abandoned::get));
        } catch (RejectedExecutionException e) {
            log.warn(
                    "speech recognition overloaded: {} utterances waiting",
                    pool.getQueue().size());
            failed();
            return Recognition.failed();
        }
        try {
            Recognition recognition = decoding.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            breaker.succeeded();
            return recognition;
        } catch (TimeoutException e) {
            abandoned.set(true);
            failed();
            throw e;
        } catch (ExecutionException e) {
            log.error("speech recognition failed: {}", e.getCause().toString());
            failed();
            return Recognition.failed();
        } catch (InterruptedException e) {
            abandoned.set(true);
            Thread.currentThread().interrupt();
            return Recognition.failed();
        }
    }

    private void failed() {
        if (breaker.failed()) {
            log.error(
                    "speech recognition switched off after {} failures in a row; callers use the keypad;"
                            + " a test decoding will be tried in {} s",
                    settings.breakerFailures(),
                    settings.breakerCooldown().toSeconds());
        }
    }

    /** After the cooldown, one decoding of silence within the time limit decides whether to switch back on. */
    private void probeIfDue() {
        if (!breaker.isOpen() || !breaker.startProbe()) {
            return;
        }
        Language language = null;
        for (Language candidate : Language.values()) {
            if (decoder.ready(candidate)) {
                language = candidate;
                break;
            }
        }
        Language probeLanguage = language;
        try {
            pool.execute(() -> probe(probeLanguage));
        } catch (RejectedExecutionException e) {
            breaker.probeFailed();
        }
    }

    private void probe(Language language) {
        long deadline = System.nanoTime() + settings.timeLimit().toNanos();
        try {
            if (language == null) {
                throw new IllegalStateException("no model loaded");
            }
            decoder.decode(PROBE, TelephoneAudio.SAMPLE_RATE, language, () -> System.nanoTime() > deadline);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("slower than the time limit");
            }
            breaker.succeeded();
            log.info("speech recognition switched back on after a successful test decoding");
        } catch (Exception e) {
            breaker.probeFailed();
            log.warn("speech recognition stays off: test decoding failed ({})", e.toString());
        }
    }

    /** Stops decoding and frees the models once no decoding uses them any more. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.timeLimit().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                log.warn("speech decodings still running at shutdown; their models are left to the process exit");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        decoder.close();
    }
}
