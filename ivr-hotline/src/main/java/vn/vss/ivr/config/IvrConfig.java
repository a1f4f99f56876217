package vn.vss.ivr.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.vss.ivr.adapter.agi.AgiSettings;
import vn.vss.ivr.adapter.agi.PeerAllowlist;
import vn.vss.ivr.adapter.crypto.HashingLimits;
import vn.vss.ivr.adapter.metrics.HttpLimits;
import vn.vss.ivr.adapter.postgres.DatabaseSettings;
import vn.vss.ivr.adapter.smpp.SmppSettings;
import vn.vss.ivr.adapter.smpp.SmsAddress;
import vn.vss.ivr.adapter.vosk.VoskSettings;
import vn.vss.ivr.call.CallSettings;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.RateLimitPolicy;

/** The whole configuration, read once from the environment at start-up. */
public record IvrConfig(
        AgiSettings agi,
        InetAddress httpBindAddress,
        int httpPort,
        HttpLimits httpLimits,
        DatabaseSettings database,
        Path soundsDirectory,
        String asteriskSoundsDirectory,
        Language defaultLanguage,
        boolean englishVoice,
        CallSettings call,
        RateLimitPolicy rateLimits,
        HashingLimits hashing,
        String instanceId,
        Duration instanceLease,
        Path spoolFile,
        Path recordingsDirectory,
        String asteriskRecordingsDirectory,
        Optional<SpeechRecognition> speechRecognition,
        Duration drainTimeout,
        Optional<SmppSettings> smsNotices,
        CallBackSettings callBack,
        List<Settings.Setting> declared) {
    /** Length of call.instance_id in the schema. */
    private static final int INSTANCE_ID_MAX = 64;

    public static IvrConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static IvrConfig from(Map<String, String> env) {
        Settings s = new Settings(env);
        AgiSettings agi = agi(s);
        InetAddress httpBind =
                s.address("IVR_HTTP_BIND_ADDRESS", "127.0.0.1", "Address of the metrics and health HTTP server.");
        int httpPort = s.integer(
                "IVR_HTTP_PORT", 8080, 0, 65535, "Port of /metrics, /health/live, /health/ready and /supervisor.");
        HttpLimits httpLimits = new HttpLimits(
                s.duration(
                        "IVR_HTTP_HEADER_TIMEOUT",
                        "5s",
                        "500ms",
                        "60s",
                        "An HTTP request's headers must arrive within this time of connecting (of their first byte on a kept-alive connection), or the connection is closed."),
                s.duration(
                        "IVR_HTTP_IDLE_TIMEOUT",
                        "30s",
                        "5s",
                        "10m",
                        "An HTTP connection that sends nothing for this long is closed."),
                s.integer(
                        "IVR_HTTP_MAX_CONNECTIONS",
                        500,
                        16,
                        10_000,
                        "Open HTTP connections at most; more wait in the socket's backlog until one closes."));
        // Masks apply wherever a value is printed: the settings table and the messages on bad values.
        s.mask("IVR_DB_URL", IvrConfig::withoutPassword);
        s.mask("IVR_DB_PASSWORD", password -> password.isEmpty() ? "" : "(hidden)");
        DatabaseSettings database = new DatabaseSettings(
                s.parse(
                        "IVR_DB_URL",
                        "",
                        "JDBC URL of PostgreSQL; empty starts the embedded PostgreSQL.",
                        IvrConfig::jdbcUrl),
                s.string("IVR_DB_USER", "vssid", "Database user (ignored for the embedded database)."),
                s.string("IVR_DB_PASSWORD", "", "Database password (ignored for the embedded database)."),
                s.path("IVR_EMBEDDED_DB_DIR", "data/postgres", "Data directory of the embedded PostgreSQL."),
                s.integer("IVR_EMBEDDED_DB_PORT", 0, 0, 65535, "Port of the embedded PostgreSQL (0 picks a free one)."),
                s.integer("IVR_DB_POOL_SIZE", 16, 1, 500, "Database connections in the pool."),
                s.duration("IVR_DB_CONNECT_TIMEOUT", "2s", "250ms", "30s", "Longest wait for a pooled connection."),
                s.duration("IVR_DB_QUERY_TIMEOUT", "2s", "1s", "60s", "Longest a statement may run."));
        String instanceId = s.parse(
                "IVR_INSTANCE_ID",
                "",
                "Name of this app instance in call records and in its lease (empty: the host name); each running instance needs its own, kept across restarts.",
                IvrConfig::instanceId);
        Duration instanceLease = s.duration(
                "IVR_INSTANCE_LEASE",
                "30s",
                "3s",
                "10m",
                "This instance's lease in the database, renewed every third of it: another instance takes over the open calls of one that has not renewed it for this long. At least 3 x IVR_DB_QUERY_TIMEOUT.");
        requireLeaseOutlastsRenewals(s, instanceLease, database, env.get("IVR_INSTANCE_LEASE"));
        Path spool = s.path(
                "IVR_SPOOL_FILE",
                "data/spool/call-events.log",
                "Durable local spool for call records and charges while the database is down.");
        Optional<SmppSettings> smsNotices = smsNotices(s);
        boolean speech = s.parse(
                "IVR_SPEECH_RECOGNITION",
                "true",
                "Let callers say their code (Vosk); a language without a model takes the keypad only (true/false).",
                IvrConfig::bool);
        Map<Language, Path> models = Map.of(
                Language.VI,
                s.path("IVR_VOSK_MODEL_VI", "voice-models/vosk-model-small-vn-0.4", "Vietnamese Vosk model directory."),
                Language.EN,
                s.path("IVR_VOSK_MODEL_EN", "voice-models/vosk-model-en-us", "English Vosk model directory."));
        Duration recognitionLimit = s.duration(
                "IVR_RECOGNITION_TIMEOUT",
                "3s",
                "100ms",
                "2m",
                "Longest wait for a recognition result after the caller stops speaking.");
        int recognitionThreads = s.integer(
                "IVR_RECOGNITION_THREADS",
                Runtime.getRuntime().availableProcessors(),
                1,
                64,
                "Utterances decoded at once (more than the cores adds nothing).");
        s.describeDefault("IVR_RECOGNITION_THREADS", "CPU cores");
        int noisyLineDb = s.integer(
                "IVR_SPEECH_NOISY_LINE_DB",
                (int) VoskSettings.NOISY_LINE_DB,
                0,
                60,
                "A spoken answer less than this many dB above the line's noise goes straight to the keypad (0: never).");
        Path recordings = s.path(
                "IVR_RECORDINGS_DIR",
                "data/recordings",
                "Where Asterisk's RECORD FILE writes spoken answers, as the app reads them; each is deleted once recognised.");
        String asteriskRecordings = s.string(
                "IVR_ASTERISK_RECORDINGS_DIR",
                "",
                "The same directory as Asterisk sees it; empty means the same path as IVR_RECORDINGS_DIR.");
        Path sounds = s.path(
                "IVR_SOUNDS_DIR", "data/sounds/vssid", "Where the app writes prompt audio (8 kHz 16-bit mono WAV).");
        String asteriskSounds = s.string(
                "IVR_ASTERISK_SOUNDS_DIR",
                "",
                "The same directory as Asterisk sees it; empty means the same path as IVR_SOUNDS_DIR.");
        Language language = s.parse(
                "IVR_DEFAULT_LANGUAGE",
                "vi",
                "Language of a call whose AGI URL has no lang parameter (vi or en).",
                code -> Language.fromCode(code).orElseThrow(() -> new IllegalArgumentException("must be vi or en")));
        boolean english = s.parse(
                "IVR_ENGLISH_VOICE",
                "true",
                "Render English prompts with MaryTTS at start-up (true/false).",
                IvrConfig::bool);
        CallSettings call = new CallSettings(
                s.integer("IVR_CODE_TRIES", 3, 1, 10, "Tries to key in a valid code before goodbye."),
                s.duration("IVR_KEY_TIMEOUT", "5s", "1s", "30s", "Pause after which a key entry ends without #."),
                s.integer("IVR_PASSWORD_LENGTH", 8, 6, 16, "Digits in a new password."),
                s.integer("IVR_PASSWORD_GROUP", 4, 1, 16, "Digits read together before a pause."),
                s.duration(
                        "IVR_PASSWORD_LIFETIME",
                        "24h",
                        "10m",
                        "720h",
                        "A new password expires if not used within this time."),
                s.integer(
                        "IVR_PASSWORD_EXTRA_REPEATS",
                        3,
                        0,
                        10,
                        "Times the caller may press 1 to hear the password again."),
                s.duration(
                        "IVR_REPEAT_KEY_TIMEOUT",
                        "2s",
                        "1s",
                        "30s",
                        "Wait for the key 1 after the repeat offer (which can itself be interrupted with 1)."),
                s.duration(
                        "IVR_VERIFICATION_PACE",
                        "600ms",
                        "100ms",
                        "2s",
                        "Every verification takes at least this long, so timing reveals nothing about the code."),
                s.integer("IVR_PRICE_PER_MINUTE_VND", 1_000, 0, 1_000_000, "Charge for each started minute, in VND."),
                s.duration(
                        "IVR_MAX_CALL_DURATION",
                        "10m",
                        "1m",
                        "2h",
                        "A call is ended politely after this long; charges never exceed its minutes."),
                new CallSettings.SpeechSettings(
                        s.integer("IVR_SPOKEN_TRIES", 2, 1, 5, "Spoken tries before the call switches to the keypad."),
                        s.duration("IVR_SPEECH_MAX", "15s", "2s", "60s", "Longest spoken answer recorded."),
                        s.duration(
                                "IVR_SPEECH_SILENCE",
                                "2s",
                                "1s",
                                "10s",
                                "Silence that ends a spoken answer (whole seconds)."),
                        s.duration(
                                "IVR_CONFIRM_KEY_TIMEOUT",
                                "5s",
                                "1s",
                                "30s",
                                "Wait for 1 or 2 after a spoken code is read back.")));
        RateLimitPolicy limits = new RateLimitPolicy(
                s.integer("IVR_MAX_RESETS_PER_CODE", 3, 1, 1000, "Successful resets per code within IVR_RESET_WINDOW."),
                s.duration("IVR_RESET_WINDOW", "24h", "1h", "720h", "Window for IVR_MAX_RESETS_PER_CODE."),
                s.integer(
                        "IVR_MAX_FAILURES_PER_CALLER",
                        5,
                        1,
                        1000,
                        "Failed verifications after which a caller ID gets no more lookups."),
                s.duration(
                        "IVR_CALLER_WINDOW",
                        "1h",
                        "1m",
                        "168h",
                        "Window (and block time) for IVR_MAX_FAILURES_PER_CALLER."),
                s.integer(
                        "IVR_FAILURES_BEFORE_CODE_LOCK",
                        10,
                        1,
                        1000,
                        "Consecutive failed verifications, from any number, that lock a code."),
                s.duration("IVR_CODE_LOCK_DURATION", "1h", "1m", "168h", "How long such a code stays locked."),
                s.duration(
                        "IVR_RESET_RESERVATION",
                        "1m",
                        "10s",
                        "1m",
                        "Lease on the code of a verified call, renewed while the call lasts: a code whose release fails is free this long after the call."),
                s.integer(
                        "IVR_MAX_FAILURES_PER_MINUTE",
                        RateLimitPolicy.HOTLINE_FAILURES_PER_MINUTE,
                        1,
                        1_000_000,
                        "Failed verifications in the last minute, all callers and instances together, beyond which every lookup gets the uniform answer."));
        CallBackSettings callBack = CallBackSettings.from(s);
        HashingLimits hashing = new HashingLimits(
                s.integer(
                        "IVR_HASH_THREADS",
                        Runtime.getRuntime().availableProcessors(),
                        1,
                        64,
                        "New passwords hashed at once (Argon2id, 19 MiB of memory each); about one per CPU core."),
                s.integer(
                        "IVR_HASH_QUEUE",
                        100,
                        1,
                        10_000,
                        "Verified calls that may wait for a hashing thread; one more hears 'temporarily unavailable'."),
                s.duration(
                        "IVR_HASH_WAIT",
                        "10s",
                        "100ms",
                        "30s",
                        "Longest a verified call waits for its new password's hash; then it hears 'temporarily unavailable' and nothing changes."));
        s.describeDefault("IVR_HASH_THREADS", "CPU cores");
        Duration drainTimeout = s.duration(
                "IVR_DRAIN_TIMEOUT",
                "11m",
                "1s",
                "3h",
                "On SIGTERM, calls in progress may finish for this long (new calls are refused); then they hear 'the service is restarting'. The default outlasts IVR_MAX_CALL_DURATION.");
        requireReadTimeoutOutlastsCommands(s, agi, call);
        s.requireValid();
        return new IvrConfig(
                agi,
                httpBind,
                httpPort,
                httpLimits,
                database,
                sounds,
                asteriskSounds.isEmpty() ? sounds.toAbsolutePath().toString() : asteriskSounds,
                language,
                english,
                call,
                limits,
                hashing,
                instanceId.isEmpty() ? defaultInstanceId() : instanceId,
                instanceLease,
                spool,
                recordings,
                asteriskRecordings.isEmpty() ? recordings.toAbsolutePath().toString() : asteriskRecordings,
                speech
                        ? Optional.of(new SpeechRecognition(
                                models,
                                recognitionLimit,
                                recognitionThreads,
                                noisyLineDb == 0 ? Double.NEGATIVE_INFINITY : noisyLineDb))
                        : Optional.empty(),
                drainTimeout,
                smsNotices,
                callBack,
                s.declared());
    }

    /**
     * The SMSC that delivers reset notices by SMS (SMPP 3.4). Without an address the notices stay
     * queued; with one, its account's system id and password are required.
     */
    private static Optional<SmppSettings> smsNotices(Settings s) {
        s.mask("IVR_SMSC_PASSWORD", password -> password.isEmpty() ? "" : "(hidden)");
        Optional<SmppSettings.HostAndPort> address = s.parse(
                "IVR_SMSC_ADDRESS",
                "",
                "host:port of the carrier's SMSC (SMPP 3.4) that sends reset notices by SMS; empty: notices stay queued, none is sent.",
                text -> text.isEmpty() ? Optional.empty() : Optional.of(SmppSettings.parseAddress(text)));
        String systemId = s.parse(
                "IVR_SMSC_SYSTEM_ID",
                "",
                "SMPP system_id of the hotline's account at the SMSC (at most 15 characters).",
                text -> atMost(text, SmppSettings.SYSTEM_ID_MAX));
        String password = s.parse(
                "IVR_SMSC_PASSWORD",
                "",
                "SMPP password of that account (at most 8 characters).",
                text -> atMost(text, SmppSettings.PASSWORD_MAX));
        SmsAddress source = s.parse(
                "IVR_SMS_SOURCE_ADDRESS",
                "19009068",
                "Sender of the notices: a service number (1900 9068), +84 and digits, or a registered sender name of up to 11 characters.",
                SmsAddress::source);
        int window = s.integer(
                "IVR_SMSC_WINDOW",
                10,
                1,
                100,
                "submit_sm sent to the SMSC and not yet answered, at most (the account's window).");
        int perSecond =
                s.integer("IVR_SMSC_MAX_PER_SECOND", 10, 1, 1000, "Notices sent to the SMSC per second, at most.");
        if (address == null || address.isEmpty()) {
            return Optional.empty();
        }
        if (systemId != null && systemId.isEmpty()) {
            s.reject("IVR_SMSC_SYSTEM_ID", "", "must be set when IVR_SMSC_ADDRESS is");
        }
        if (password != null && password.isEmpty()) {
            s.reject("IVR_SMSC_PASSWORD", "", "must be set when IVR_SMSC_ADDRESS is");
        }
        return Optional.of(SmppSettings.of(
                address.get().host(), address.get().port(), systemId, password, source, window, perSecond));
    }

    private static String atMost(String text, int length) {
        if (text.length() > length) {
            throw new IllegalArgumentException(
                    "is " + text.length() + " characters long; SMPP allows at most " + length);
        }
        return text;
    }

    private static AgiSettings agi(Settings s) {
        AgiSettings agi = new AgiSettings(
                s.address(
                        "IVR_AGI_BIND_ADDRESS",
                        "127.0.0.1",
                        "Address the FastAGI server listens on (0.0.0.0 in a container)."),
                s.integer("IVR_AGI_PORT", 4573, 0, 65535, "FastAGI port (0 picks a free one)."),
                s.parse(
                        "IVR_AGI_ALLOWED_PEERS",
                        "127.0.0.1,::1",
                        "Comma-separated IP addresses or CIDR blocks allowed to connect over FastAGI (Asterisk); others are refused.",
                        PeerAllowlist::parse),
                s.integer("IVR_AGI_CORE_THREADS", 16, 1, 10_000, "Call threads kept ready."),
                s.integer(
                        "IVR_AGI_MAX_CALLS",
                        2_500,
                        1,
                        20_000,
                        "Most concurrent calls (one thread each); more are refused."),
                s.integer("IVR_AGI_BACKLOG", 512, 1, 65_535, "Pending FastAGI connections the socket queues."),
                s.duration(
                        "IVR_AGI_READ_TIMEOUT",
                        "120s",
                        "10s",
                        "1h",
                        "A call whose Asterisk sends nothing for this long is ended; at least 21 x IVR_KEY_TIMEOUT and IVR_SPEECH_MAX + 10 s."),
                s.duration(
                        "IVR_AGI_ENVIRONMENT_TIMEOUT",
                        "5s",
                        "100ms",
                        "60s",
                        "A FastAGI peer must send its whole environment block within this time."));
        // The pool cannot keep more threads ready than it may ever run; caught here, it would fail
        // only once the database had started, in the thread pool's words.
        if (s.valid("IVR_AGI_CORE_THREADS", "IVR_AGI_MAX_CALLS")) {
            s.check(
                    agi.coreThreads() <= agi.maxThreads(),
                    "IVR_AGI_CORE_THREADS=" + agi.coreThreads() + " is more than IVR_AGI_MAX_CALLS=" + agi.maxThreads()
                            + ": the call threads kept ready must not exceed the most concurrent calls");
        }
        return agi;
    }

    /**
     * Asterisk answers a key entry or a recording only once it is over: a read time-out shorter than
     * the longest of them would end the call of a slow typist or a long spoken answer.
     */
    private static void requireReadTimeoutOutlastsCommands(Settings s, AgiSettings agi, CallSettings call) {
        if (!s.valid("IVR_AGI_READ_TIMEOUT", "IVR_KEY_TIMEOUT", "IVR_SPEECH_MAX")) {
            return;
        }
        Duration slowestEntry = call.perKeyTimeout().multipliedBy(CallSettings.MOST_KEYS_PER_ENTRY + 1);
        Duration longestAnswer = call.speech().maxAnswer().plusSeconds(10);
        Duration longest = slowestEntry.compareTo(longestAnswer) > 0 ? slowestEntry : longestAnswer;
        if (agi.readTimeout().compareTo(longest) < 0) {
            s.reject(
                    "IVR_AGI_READ_TIMEOUT",
                    agi.readTimeout(),
                    "must be at least " + longest + ": a key entry may take " + (CallSettings.MOST_KEYS_PER_ENTRY + 1)
                            + " x IVR_KEY_TIMEOUT and a spoken answer IVR_SPEECH_MAX + 10 s");
        }
    }

    /**
     * A renewal is one statement, which may take up to the query time-out: a lease shorter than three
     * of them could expire while the instance is alive, and another instance would close its calls.
     */
    private static void requireLeaseOutlastsRenewals(
            Settings s, Duration lease, DatabaseSettings database, String text) {
        if (!s.valid("IVR_INSTANCE_LEASE", "IVR_DB_QUERY_TIMEOUT")) {
            return;
        }
        Duration least = database.queryTimeout().multipliedBy(3);
        if (lease.compareTo(least) < 0) {
            s.reject(
                    "IVR_INSTANCE_LEASE",
                    text == null ? lease : text.strip(),
                    "must be at least 3 x IVR_DB_QUERY_TIMEOUT (" + inWords(least)
                            + "): the lease is renewed every third of it, and a renewal may take the query time-out");
        }
    }

    private static String inWords(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /**
     * Where the speech models are and how recognition is bounded; answers under {@code noisyLineDb}
     * above the line noise are not decoded.
     */
    public record SpeechRecognition(Map<Language, Path> models, Duration timeLimit, int threads, double noisyLineDb) {}

    /** The same configuration with these SMSC settings (tests shorten the sender's waits this way). */
    public IvrConfig withSmsNotices(SmppSettings sms) {
        return new IvrConfig(
                agi,
                httpBindAddress,
                httpPort,
                httpLimits,
                database,
                soundsDirectory,
                asteriskSoundsDirectory,
                defaultLanguage,
                englishVoice,
                call,
                rateLimits,
                hashing,
                instanceId,
                instanceLease,
                spoolFile,
                recordingsDirectory,
                asteriskRecordingsDirectory,
                speechRecognition,
                drainTimeout,
                Optional.of(sms),
                callBack,
                declared);
    }

    public Duration chargeTick() {
        return Duration.ofSeconds(1);
    }

    /** The host name (a container's id in Docker), or "ivr-app" when it cannot be found. */
    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "ivr-app";
            }
        }
        return host.length() > INSTANCE_ID_MAX ? host.substring(0, INSTANCE_ID_MAX) : host;
    }

    /** Longer than the call record's column, every call record would be refused by the database. */
    private static String instanceId(String text) {
        if (text.length() > INSTANCE_ID_MAX) {
            throw new IllegalArgumentException(
                    "is " + text.length() + " characters long; at most " + INSTANCE_ID_MAX + " fit in a call record");
        }
        return text;
    }

    /**
     * Only PostgreSQL's driver is on the class path: any other URL would fail later, in the pool's
     * words. Every call writes, so the URL must lead to the writable primary: a URL listing several
     * hosts (a primary and its replicas) must ask for it with targetServerType=primary, or the driver
     * may settle on a read-only standby that refuses every write.
     */
    private static Optional<String> jdbcUrl(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "must start with jdbc:postgresql: (for example jdbc:postgresql://postgres:5432/vssid), or be empty"
                            + " for the embedded PostgreSQL");
        }
        int hosts = hostCount(text);
        Optional<String> target = urlParameter(text, "targetServerType");
        boolean primary = target.filter(t -> t.equalsIgnoreCase("primary") || t.equalsIgnoreCase("master"))
                .isPresent();
        if (hosts > 1 && !primary) {
            throw new IllegalArgumentException(
                    "lists " + hosts + " hosts but not targetServerType=primary: the"
                            + " driver could settle on a read-only standby and every write would fail; add"
                            + " ?targetServerType=primary (for example jdbc:postgresql://db1:5432,db2:5432/vssid?targetServerType=primary)");
        }
        if (target.isPresent() && !primary && !target.get().equalsIgnoreCase("any")) {
            throw new IllegalArgumentException("asks for targetServerType=" + target.get()
                    + ", which may be a read-only standby; the hotline writes, so use targetServerType=primary");
        }
        return Optional.of(text);
    }

    /** Hosts in {@code jdbc:postgresql://host1:port,host2:port/database}; 1 without a host list. */
    private static int hostCount(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) {
            return 1;
        }
        String authority = rest.substring(2).split("[/?]", 2)[0];
        return authority.split(",", -1).length;
    }

    /** The value of a URL query parameter (the last one when repeated, as the driver reads it). */
    private static Optional<String> urlParameter(String url, String name) {
        int query = url.indexOf('?');
        Optional<String> value = Optional.empty();
        if (query < 0) {
            return value;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                value = Optional.of(pair.substring(equals + 1));
            }
        }
        return value;
    }

    /** A JDBC URL may carry a password (user:password@ or password=): it is never printed. */
    static String withoutPassword(String url) {
        return url.replaceAll("(//[^/:@]*):[^/@]*@", "$1:(hidden)@").replaceAll("(?i)(password=)[^&]*", "$1(hidden)");
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
