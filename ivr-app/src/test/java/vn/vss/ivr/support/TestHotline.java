package vn.vss.ivr.support;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jooq.DSLContext;
import vn.vss.ivr.adapter.agi.AgiSettings;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.call.CallSettings;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.RateLimitPolicy;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * One real hotline for the integration tests of this JVM: the FastAGI server on a free port, an
 * embedded PostgreSQL in a temporary directory, the shipped Vietnamese prompts. Tests keep out of
 * each other's way by using fresh codes and numbers.
 */
public final class TestHotline {
    private static final AtomicInteger SEQUENCE = new AtomicInteger(1);
    private static TestHotline shared;

    private final Path directory;
    private final Hotline hotline;
    private final LogCapture logs;

    private TestHotline(Path directory, Hotline hotline, LogCapture logs) {
        this.directory = directory;
        this.hotline = hotline;
        this.logs = logs;
    }

    public static synchronized TestHotline shared() {
        if (shared == null) {
            shared = start(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared.hotline::close));
        }
        return shared;
    }

    /** A separate hotline with extra settings; the caller closes it. */
    public static TestHotline start(Map<String, String> extra) {
        return start(extra, UnaryOperator.identity());
    }

    /**
     * A separate hotline with extra settings, then {@code adjust}ed: for durations shorter than an
     * operator may set (a call of a few seconds, a short AGI read time-out), so that a test need not
     * wait minutes.
     */
    public static TestHotline start(Map<String, String> extra, UnaryOperator<IvrConfig> adjust) {
        LogCapture logs = LogCapture.install();
        try {
            Path directory = Files.createTempDirectory("ivr-it-");
            Map<String, String> env = new HashMap<>();
            env.put("IVR_AGI_PORT", "0");
            env.put("IVR_HTTP_PORT", "0");
            env.put("IVR_ENGLISH_VOICE", "false");
            env.put("IVR_SPEECH_RECOGNITION", "false");
            // The tests of this JVM together fail more verifications a minute than the production
            // ceiling allows; the test of that ceiling sets its own.
            env.put("IVR_MAX_FAILURES_PER_MINUTE", "1000000");
            env.put("IVR_EMBEDDED_DB_DIR", directory.resolve("postgres").toString());
            env.put("IVR_SOUNDS_DIR", directory.resolve("sounds").toString());
            env.put(
                    "IVR_SPOOL_FILE",
                    directory.resolve("spool").resolve("call-events.log").toString());
            env.putAll(extra);
            return new TestHotline(directory, Hotline.start(adjust.apply(IvrConfig.from(env))), logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration with calls ended after {@code limit}. */
    public static UnaryOperator<IvrConfig> maxCallDuration(Duration limit) {
        return c -> {
            CallSettings call = c.call();
            return withCall(
                    c,
                    new CallSettings(
                            call.codeTries(),
                            call.perKeyTimeout(),
                            call.passwordLength(),
                            call.passwordGroupSize(),
                            call.passwordLifetime(),
                            call.extraRepeats(),
                            call.repeatKeyTimeout(),
                            call.verificationPace(),
                            call.pricePerMinuteVnd(),
                            limit,
                            call.speech()));
        };
    }

    /** The configuration with a silent FastAGI peer dropped after {@code timeout}. */
    public static UnaryOperator<IvrConfig> agiReadTimeout(Duration timeout) {
        return c -> {
            AgiSettings agi = c.agi();
            return withAgi(
                    c,
                    new AgiSettings(
                            agi.bindAddress(),
                            agi.port(),
                            agi.allowedPeers(),
                            agi.coreThreads(),
                            agi.maxThreads(),
                            agi.backlog(),
                            timeout,
                            agi.environmentTimeout()));
        };
    }

    /** The configuration with a reservation lease shorter than an operator may set. */
    public static UnaryOperator<IvrConfig> reservationLease(Duration lease) {
        return c -> {
            RateLimitPolicy l = c.rateLimits();
            RateLimitPolicy limits = new RateLimitPolicy(
                    l.maxResetsPerCode(),
                    l.resetWindow(),
                    l.maxFailuresPerCaller(),
                    l.callerWindow(),
                    l.failuresBeforeCodeLock(),
                    l.codeLockDuration(),
                    lease,
                    l.maxFailuresPerMinute());
            return copy(c, null, null, limits, null);
        };
    }

    /** The configuration with an instance lease shorter than an operator may set. */
    public static UnaryOperator<IvrConfig> instanceLease(Duration lease) {
        return c -> copy(c, null, null, null, lease);
    }

    private static IvrConfig withCall(IvrConfig c, CallSettings call) {
        return copy(c, null, call, null, null);
    }

    private static IvrConfig withAgi(IvrConfig c, AgiSettings agi) {
        return copy(c, agi, null, null, null);
    }

    /** The configuration with the parts given (not null) changed: the one place listing its components. */
    private static IvrConfig copy(
            IvrConfig c, AgiSettings agi, CallSettings call, RateLimitPolicy limits, Duration lease) {
        return new IvrConfig(
                agi != null ? agi : c.agi(),
                c.httpBindAddress(),
                c.httpPort(),
                c.httpLimits(),
                c.database(),
                c.soundsDirectory(),
                c.asteriskSoundsDirectory(),
                c.defaultLanguage(),
                c.englishVoice(),
                call != null ? call : c.call(),
                limits != null ? limits : c.rateLimits(),
                c.hashing(),
                c.instanceId(),
                lease != null ? lease : c.instanceLease(),
                c.spoolFile(),
                c.recordingsDirectory(),
                c.asteriskRecordingsDirectory(),
                c.speechRecognition(),
                c.drainTimeout(),
                c.smsNotices(),
                c.callBack(),
                c.declared());
    }

    /** Waits until English calls have their prompts and the English speech model (at most 30 s for the model). */
    public void awaitEnglishSpeech() throws InterruptedException {
        hotline.englishPrompts().join();
        for (int i = 0; i < 300 && !hotline.recognizer().accepts(Language.EN); i++) {
            Thread.sleep(100);
        }
        assertThat(hotline.recognizer().accepts(Language.EN))
                .as("English model loaded")
                .isTrue();
    }

    public Hotline hotline() {
        return hotline;
    }

    public DSLContext dsl() {
        return hotline.database().dsl();
    }

    public Path directory() {
        return directory;
    }

    public Path soundsDirectory() {
        return hotline.config().soundsDirectory();
    }

    public LogCapture logs() {
        return logs;
    }

    public CallTranscript call(CallerScript script) {
        try {
            return new FakeAsterisk(
                            "127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                    .call(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new subscriber with a code and number no other test uses. */
    public Subscriber freshSubscriber() {
        int n = SEQUENCE.getAndIncrement() + (int) (ProcessHandle.current().pid() % 1000) * 10_000;
        String code = String.format("5%09d", n);
        String national = String.format("03%08d", n);
        dsl().insertInto(SUBSCRIBER)
                .set(SUBSCRIBER.BHXH_CODE, code)
                .set(SUBSCRIBER.PHONE_E164, "+84" + national.substring(1))
                .execute();
        return new Subscriber(code, national);
    }

    /** The newest call record whose caller ID, as received, is this number. */
    public CallRecord lastCallFrom(String callerId) {
        return dsl().selectFrom(CALL)
                .where(CALL.CALLER_ID_RECEIVED.eq(callerId))
                .orderBy(CALL.STARTED_AT.desc())
                .limit(1)
                .fetchOne();
    }

    /** The stored password hash of a code; null while the password was never reset. */
    public String passwordHash(String code) {
        return dsl().select(SUBSCRIBER.PASSWORD_HASH)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne(SUBSCRIBER.PASSWORD_HASH);
    }

    /** A number registered for nothing, that no other test uses. */
    public String freshStranger() {
        return String.format(
                "07%08d",
                SEQUENCE.getAndIncrement() + (int) (ProcessHandle.current().pid() % 1000) * 10_000);
    }

    public void close() {
        hotline.close();
    }

    /** A registered subscriber: the code and the national form of the registered number. */
    public record Subscriber(String code, String phone) {}
}
