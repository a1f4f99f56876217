package vn.vss.ivr.hotline;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.agi.HotlineAgiServer;
import vn.vss.ivr.adapter.agi.LeftoverRecordings;
import vn.vss.ivr.adapter.agi.MediaDirectories;
import vn.vss.ivr.adapter.agi.MenuCallScript;
import vn.vss.ivr.adapter.agi.VssidResetScript;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;
import vn.vss.ivr.adapter.crypto.BoundedPasswordHasher;
import vn.vss.ivr.adapter.marytts.MaryTtsSpeechSynthesizer;
import vn.vss.ivr.adapter.metrics.HttpEndpoints;
import vn.vss.ivr.adapter.metrics.LastHourSection;
import vn.vss.ivr.adapter.metrics.MicrometerCallMetrics;
import vn.vss.ivr.adapter.metrics.TimedSpeechSynthesizer;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.DemoSubscribers;
import vn.vss.ivr.adapter.postgres.JooqCallRecords;
import vn.vss.ivr.adapter.postgres.JooqChargeLedger;
import vn.vss.ivr.adapter.postgres.JooqInstanceLeases;
import vn.vss.ivr.adapter.postgres.JooqRecentCalls;
import vn.vss.ivr.adapter.postgres.JooqSubscriberDirectory;
import vn.vss.ivr.adapter.postgres.ReservationLeases;
import vn.vss.ivr.adapter.postgres.VerificationTimeLimit;
import vn.vss.ivr.adapter.spool.SpooledCallStore;
import vn.vss.ivr.adapter.vosk.VoskSettings;
import vn.vss.ivr.adapter.vosk.VoskSpeechRecognizer;
import vn.vss.ivr.call.CallServices;
import vn.vss.ivr.call.ChargeTicker;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.RestartNotice;
import vn.vss.ivr.call.SpeechRecognizer;
import vn.vss.ivr.call.SystemTime;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.prompts.PromptLibrary;

/**
 * The running hotline, wired by hand: database, prompt audio, metrics, and the FastAGI server. Start
 * order matters: calls are taken only once the database is migrated and the Vietnamese prompts are
 * in place; English prompts render in the background.
 */
public final class Hotline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hotline.class);

    private final IvrConfig config;
    private final Database database;
    private final PromptLibrary prompts;
    private final PrometheusMeterRegistry registry;
    private final ChargeTicker ticker;
    private final HotlineAgiServer agiServer;
    private final HttpEndpoints http;
    private final CompletableFuture<Void> englishPrompts;
    private final SpeechRecognizer recognizer;

    private final Housekeeping maintenance;
    private final SpooledCallStore spool;
    private final BoundedPasswordHasher hasher;
    private final ReservationLeases leases;
    private final InstanceLease instanceLease;
    private final AtomicBoolean draining;
    private final RestartNotice restart;
    private final SmsNotices smsNotices;
    private final CountDownLatch hurry = new CountDownLatch(1);

    private final CallBacks callBacks;

    private Hotline(
            IvrConfig config,
            Database database,
            PromptLibrary prompts,
            PrometheusMeterRegistry registry,
            ChargeTicker ticker,
            HotlineAgiServer agiServer,
            HttpEndpoints http,
            CompletableFuture<Void> englishPrompts,
            Housekeeping maintenance,
            SpooledCallStore spool,
            SpeechRecognizer recognizer,
            BoundedPasswordHasher hasher,
            ReservationLeases leases,
            InstanceLease instanceLease,
            AtomicBoolean draining,
            RestartNotice restart,
            SmsNotices smsNotices,
            CallBacks callBacks) {
        this.instanceLease = instanceLease;
        this.smsNotices = smsNotices;
        this.callBacks = callBacks;
        this.draining = draining;
        this.restart = restart;
        this.recognizer = recognizer;
        this.hasher = hasher;
        this.leases = leases;
        this.maintenance = maintenance;
        this.spool = spool;
        this.config = config;
        this.database = database;
        this.prompts = prompts;
        this.registry = registry;
        this.ticker = ticker;
        this.agiServer = agiServer;
        this.http = http;
        this.englishPrompts = englishPrompts;
    }

    public static Hotline start(IvrConfig config) throws IOException {
        long started = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HotlineGauges.ofTheJvm(registry);

        Database database = Database.start(config.database(), registry);
        if (database.isEmbedded()) {
            DemoSubscribers.seedIfEmpty(database.dsl());
        }
        AnnouncedPrice.warnIfBilledDifferently(config.call().pricePerMinuteVnd());
        PromptLibrary prompts = new PromptLibrary(config.soundsDirectory());
        prompts.installRecorded(Language.VI);
        java.nio.file.Files.createDirectories(config.recordingsDirectory());
        CompletableFuture<Void> englishPrompts = config.englishVoice()
                ? CompletableFuture.runAsync(() -> renderEnglish(prompts, registry))
                : CompletableFuture.completedFuture(null);

        InstanceLease instanceLease = takeInstanceLease(config, database, registry);
        JooqCallRecords records = new JooqCallRecords(database.dsl(), config.instanceId());
        SpooledCallStore spool =
                new SpooledCallStore(records, new JooqChargeLedger(database.dsl()), config.spoolFile());
        CrashRecovery.recoverFromAnEarlierStop(spool, records);
        Housekeeping maintenance = Housekeeping.start(
                spool,
                new LeftoverRecordings(
                        config.recordingsDirectory(), config.call().maxCallDuration(), Clock.systemUTC()));
        HotlineGauges.ofTheSpool(registry, spool);
        SmsNotices smsNotices = SmsNotices.start(config, database, registry);
        SpeechRecognizer recognizer = startRecognizer(config, registry);
        MicrometerCallMetrics metrics =
                new MicrometerCallMetrics(registry, config.agi().maxThreads());
        HotlineGauges.ofTheDatabase(registry, database);
        ChargeTicker ticker = new ChargeTicker(config.chargeTick());
        SecureRandom random = new SecureRandom();
        BoundedPasswordHasher hasher =
                new BoundedPasswordHasher(new Argon2idPasswordHasher(random), config.hashing(), registry);
        ReservationLeases leases = new ReservationLeases(
                new JooqSubscriberDirectory(database.dsl(), config.rateLimits()),
                config.rateLimits().reservationLifetime(),
                Clock.systemUTC());
        RestartNotice restart = new RestartNotice();
        CallBacks callBacks = CallBacks.start(config, database, registry);
        CallServices services = new CallServices(
                spool,
                spool,
                new VerificationTimeLimit(
                        leases,
                        config.database().queryTimeout(),
                        VERIFICATIONS_WAITING_PER_CONNECTION * config.database().poolSize()),
                hasher,
                recognizer,
                metrics,
                ticker,
                SystemTime.UTC,
                random,
                config.call(),
                restart,
                callBacks.desk());
        VssidResetScript script = new VssidResetScript(
                services,
                new MediaDirectories(
                        config.asteriskSoundsDirectory(),
                        config.recordingsDirectory(),
                        config.asteriskRecordingsDirectory()),
                config.defaultLanguage(),
                prompts::playable,
                config.agi().maxThreads(),
                metrics::callRefused);
        MenuCallScript menuCall = new MenuCallScript(services, config.defaultLanguage());
        HotlineAgiServer agiServer = Listening.on(
                "IVR_AGI_PORT",
                config.agi().bindAddress(),
                config.agi().port(),
                () -> HotlineAgiServer.start(config.agi(), script, menuCall, peer -> metrics.peerRefused(), registry));
        AtomicBoolean draining = new AtomicBoolean();
        HttpEndpoints http = Listening.on(
                "IVR_HTTP_PORT",
                config.httpBindAddress(),
                config.httpPort(),
                () -> HttpEndpoints.start(
                        config.httpBindAddress(),
                        config.httpPort(),
                        config.httpLimits(),
                        registry,
                        () -> !draining.get() && database.answers(),
                        new LastHourSection(
                                new JooqRecentCalls(database.dsl(), config.instanceId()),
                                config.instanceId(),
                                Clock.systemUTC())));
        log.info(
                "hotline ready in {} ms: FastAGI port {}, HTTP port {}",
                (System.nanoTime() - started) / 1_000_000,
                agiServer.port(),
                http.port());
        return new Hotline(
                config,
                database,
                prompts,
                registry,
                ticker,
                agiServer,
                http,
                englishPrompts,
                maintenance,
                spool,
                recognizer,
                hasher,
                leases,
                instanceLease,
                draining,
                restart,
                smsNotices,
                callBacks);
    }

    /** Before this instance's own left-open calls are closed, so that no other instance closes them too. */
    private static InstanceLease takeInstanceLease(
            IvrConfig config, Database database, PrometheusMeterRegistry registry) throws InstanceIdInUseException {
        try {
            return InstanceLease.take(
                    new JooqInstanceLeases(database.dsl(), config.instanceId(), config.instanceLease()),
                    config.instanceId(),
                    config.instanceLease(),
                    registry);
        } catch (InstanceIdInUseException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Verifications that may wait for one pooled connection before callers hear "unavailable" at once. */
    private static final int VERIFICATIONS_WAITING_PER_CONNECTION = 4;

    /** Models load in the background: calls are taken at once, by keypad until a model is ready. */
    private static SpeechRecognizer startRecognizer(IvrConfig config, PrometheusMeterRegistry registry) {
        if (config.speechRecognition().isEmpty()) {
            log.info("speech recognition is off (IVR_SPEECH_RECOGNITION=false): every call takes the keypad");
            return SpeechRecognizer.NONE;
        }
        IvrConfig.SpeechRecognition speech = config.speechRecognition().get();
        return VoskSpeechRecognizer.start(
                speech.models(),
                VoskSettings.defaults()
                        .withDecodingThreads(speech.threads())
                        .withTimeLimit(speech.timeLimit())
                        .withLeastSnrDb(speech.noisyLineDb()),
                registry);
    }

    private static void renderEnglish(PromptLibrary prompts, PrometheusMeterRegistry registry) {
        try {
            prompts.render(Language.EN, new TimedSpeechSynthesizer(MaryTtsSpeechSynthesizer.start(), registry));
        } catch (IOException | RuntimeException e) {
            log.error("English prompts could not be rendered; English calls are held in Vietnamese: {}", e.toString());
        }
    }

    public int agiPort() {
        return agiServer.port();
    }

    /** Calls being handled now. */
    public int activeCalls() {
        return Math.max(0, agiServer.activeCalls());
    }

    public int httpPort() {
        return http.port();
    }

    public Database database() {
        return database;
    }

    public PromptLibrary prompts() {
        return prompts;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public IvrConfig config() {
        return config;
    }

    /** Completes when the English prompts are rendered (or failed to render). */
    public CompletableFuture<Void> englishPrompts() {
        return englishPrompts;
    }

    public SpeechRecognizer recognizer() {
        return recognizer;
    }

    /** Call events waiting in the local spool for the database. */
    public SpooledCallStore spool() {
        return spool;
    }

    /**
     * Takes the instance out of service without cutting a caller off: {@code /health/ready} answers
     * 503, the FastAGI port is closed (Asterisk's connect fails, so it tries another instance or plays
     * "unavailable"), and calls in progress run to their end for up to {@code limit}. Calls still
     * running then (or at once, after {@link #hurryDrain()}) hear "the service is restarting, please
     * call again" at their next step and are closed with their charges. Finally the spool is written
     * to the database. The hotline is then ready to {@link #close()}.
     *
     * @return true when every call ended on its own, before the limit
     */
    public boolean drain(Duration limit) {
        draining.set(true);
        log.info(
                "draining: not ready, FastAGI port closed, {} call(s) in progress may take up to {} s",
                activeCalls(),
                limit.toSeconds());
        agiServer.stopAccepting();
        boolean finished = awaitCallsOrHurry(limit);
        if (!finished) {
            log.warn(
                    "drain limit reached (or a second stop signal): {} call(s) hear 'the service is restarting'",
                    activeCalls());
            restart.announce();
            if (!agiServer.awaitCalls(CALLS_ENDING_AFTER_NOTICE)) {
                log.warn(
                        "{} call(s) still running after the restart notice are cut; the next start closes them as interrupted",
                        activeCalls());
            }
        }
        int written = spool.replay();
        log.info(
                "drained: {} spooled call event(s) written, {} still waiting for the database",
                written,
                spool.pending());
        return finished;
    }

    /** A second stop signal: the calls still running end now, as they would at the drain limit. */
    public void hurryDrain() {
        hurry.countDown();
    }

    /** True once {@link #drain} has begun. */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Time for calls told of the restart to end: the notice takes effect at a call's next step, which
     * comes once Asterisk answers the command in progress (a key entry, a recording, a prompt).
     */
    private static final Duration CALLS_ENDING_AFTER_NOTICE = Duration.ofSeconds(30);

    private boolean awaitCallsOrHurry(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (agiServer.awaitCalls(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))) {
                return true;
            }
            if (hurry.getCount() == 0) {
                return false;
            }
        }
    }

    @Override
    public void close() {
        agiServer.close();
        if (recognizer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("speech recognizer did not close cleanly: {}", e.toString());
            }
        }
        maintenance.close();
        smsNotices.close();
        callBacks.close();
        leases.close();
        instanceLease.close();
        http.close();
        hasher.close();
        ticker.close();
        database.close();
    }
}
