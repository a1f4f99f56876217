package vn.vss.ivr.adapter.agi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import vn.vss.ivr.call.CallBackId;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallServices;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.MenuCall;
import vn.vss.ivr.call.PasswordResetCall;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.call.UntrustedText;

/**
 * The FastAGI script {@code vssid-reset}: turns Asterisk's request into a {@link PasswordResetCall}
 * and runs it. Everything taken from the request is validated here before the call sees it.
 */
public final class VssidResetScript {
    private static final Logger log = LoggerFactory.getLogger(VssidResetScript.class);
    private static final Pattern UNIQUE_ID = Pattern.compile("[0-9]{1,20}\\.[0-9]{1,10}");
    private static final int CALLER_ID_KEPT = 300;
    public static final String CALL_BACK_SCRIPT = "vssid-callback";
    private static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    /** A request no row has: a leg whose URL names none is still recorded, and claims nothing. */
    private static final CallBackId NO_REQUEST = new CallBackId(new java.util.UUID(0, 0));

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final CallServices services;
    private final String asteriskSoundsDirectory;
    private final Path recordingsDirectory;
    private final String asteriskRecordingsDirectory;
    private final Language defaultLanguage;
    private final Function<Language, Language> availableLanguage;
    private final int maxCalls;
    private final Runnable onRefused;
    private final AtomicInteger activeCalls = new AtomicInteger();

    /**
     * @param availableLanguage the language whose prompts can be played for a requested one (English
     *     falls back to Vietnamese while its audio is still being rendered)
     */
    public VssidResetScript(
            CallServices services,
            MediaDirectories media,
            Language defaultLanguage,
            Function<Language, Language> availableLanguage,
            int maxCalls,
            Runnable onRefused) {
        this.maxCalls = maxCalls;
        this.onRefused = onRefused;
        this.services = services;
        this.asteriskSoundsDirectory = media.asteriskSoundsDirectory();
        this.recordingsDirectory = media.recordingsDirectory();
        this.asteriskRecordingsDirectory = media.asteriskRecordingsDirectory();
        this.defaultLanguage = defaultLanguage;
        this.availableLanguage = availableLanguage;
    }

    /**
     * Serves one call. A call whose environment block was refused is served all the same (the
     * caller hears the same words, in the same time, as any caller whose number does not match),
     * but as one from no valid number, so it can never verify.
     */
    void serve(AgiRequest request, AgiChannel channel, AgiEnvironment environment) {
        runWithinCapacity(
                request, channel, (uniqueId, language) -> callerStart(request, environment, uniqueId, language));
    }

    private CallStart callerStart(AgiRequest request, AgiEnvironment environment, String uniqueId, Language language) {
        String callerId = Optional.ofNullable(request.getCallerIdNumber()).orElse("");
        if (environment.rejection().isPresent()) {
            log.warn(
                    "refused the AGI environment block from Asterisk ({}): the call is served as one"
                            + " from no valid number and cannot verify",
                    environment.describeRejection());
        }
        Instant now = services.clock().instant();
        Optional<Instant> answeredByAsterisk =
                AnsweredParameter.read(request, now, services.settings().maxCallDuration(), false);
        boolean callBack = services.callBacks().callsBack(trunk(request));
        CallStart start = new CallStart(
                uniqueId,
                UntrustedText.printable(callerId, CALLER_ID_KEPT),
                environment.rejection().isPresent() ? Optional.empty() : PhoneNumber.fromCallerId(callerId),
                language,
                answeredByAsterisk.orElse(now),
                answeredByAsterisk,
                callBack,
                Optional.empty());
        log.info(
                "call from {} in {}{}",
                start.callerNumber().map(PhoneNumber::masked).orElse("an invalid or withheld number"),
                language.code(),
                callBack ? ", verified by call-back" : "");
        return start;
    }

    /**
     * Serves the call-back leg (script {@value #CALL_BACK_SCRIPT}): Asterisk called the registered
     * number for request {@code request=<uuid>} and the citizen answered. The request id is the only
     * thing believed from the URL, and only as a UUID; what the call may do comes from the database.
     */
    void serveCallBackLeg(AgiRequest request, AgiChannel channel) {
        runWithinCapacity(request, channel, (uniqueId, language) -> legStart(request, uniqueId, language));
    }

    private CallStart legStart(AgiRequest request, String uniqueId, Language language) {
        Optional<CallBackId> id = CallBackId.fromText(request.getParameter("request"));
        if (id.isEmpty()) {
            log.warn("call-back leg without a valid request id: nothing is read");
        }
        log.info("call-back leg {} in {}", id.map(CallBackId::toString).orElse("(none)"), language.code());
        return new CallStart(
                uniqueId,
                "",
                Optional.empty(),
                language,
                services.clock().instant(),
                Optional.empty(),
                false,
                Optional.of(id.orElse(NO_REQUEST)));
    }

    /**
     * One call within the hotline's capacity, its log lines tagged with its uniqueid: over capacity it
     * is refused; otherwise {@code callStart} says who calls and the call is run.
     */
    private void runWithinCapacity(
            AgiRequest request, AgiChannel channel, BiFunction<String, Language, CallStart> callStart) {
        String uniqueId = validUniqueId(request.getUniqueId());
        MDC.put("uniqueid", uniqueId);
        try {
            if (activeCalls.incrementAndGet() > maxCalls) {
                refuse(request, channel);
                return;
            }
            Language language = availableLanguage.apply(requestedLanguage(request));
            CallStart start = callStart.apply(uniqueId, language);
            new PasswordResetCall(
                            new AgiCallerChannel(channel, asteriskSoundsDirectory, language, recordings(uniqueId)),
                            start,
                            services)
                    .run();
        } finally {
            activeCalls.decrementAndGet();
            MDC.remove("uniqueid");
        }
    }

    /** The trunk the dialplan named (trunk=), when it is a plain endpoint name. */
    private static Optional<String> trunk(AgiRequest request) {
        String trunk = request.getParameter("trunk");
        if (trunk == null || !TRUNK.matcher(trunk).matches()) {
            return Optional.empty();
        }
        return Optional.of(trunk);
    }

    /** Over capacity: "temporarily unavailable, please call later", without touching the database. */
    private void refuse(AgiRequest request, AgiChannel channel) {
        onRefused.run();
        log.warn("refusing a call: {} calls in progress is the limit (IVR_AGI_MAX_CALLS)", maxCalls);
        AgiCallerChannel caller =
                new AgiCallerChannel(channel, asteriskSoundsDirectory, defaultLanguage, recordings("refused"));
        try {
            caller.play(Prompt.UNAVAILABLE);
            caller.hangUp();
        } catch (RuntimeException e) {
            log.debug("refused caller hung up first");
        }
        recordRefused(request);
    }

    /**
     * The caller was answered in the menu and pays the carrier, so a refused call is recorded and
     * billed too (outcome service_unavailable); the dialplan leaves it to the application, which it
     * reached. The record goes through the spool, so a slow database does not hold this thread long.
     */
    private void recordRefused(AgiRequest request) {
        Instant now = services.clock().instant();
        Optional<Instant> answeredByAsterisk =
                AnsweredParameter.read(request, now, services.settings().maxCallDuration(), false);
        String callerId = Optional.ofNullable(request.getCallerIdNumber()).orElse("");
        CallStart start = new CallStart(
                validUniqueId(request.getUniqueId()),
                UntrustedText.printable(callerId, CALLER_ID_KEPT),
                PhoneNumber.fromCallerId(callerId),
                defaultLanguage,
                answeredByAsterisk.orElse(now),
                answeredByAsterisk);
        new MenuCall(start, services, CallOutcome.SERVICE_UNAVAILABLE).record();
    }

    private Language requestedLanguage(AgiRequest request) {
        String lang = request.getParameter("lang");
        if (lang == null) {
            return defaultLanguage;
        }
        Optional<Language> language = Language.fromCode(lang);
        if (language.isEmpty()) {
            log.warn(
                    "unknown lang parameter '{}', using {}", UntrustedText.printable(lang, 10), defaultLanguage.code());
        }
        return language.orElse(defaultLanguage);
    }

    /** Recordings are named after the validated uniqueid, plus a random part: ids repeat after a restart. */
    private AgiCallerChannel.Recordings recordings(String uniqueId) {
        String name = "rec-" + uniqueId + "-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        return new AgiCallerChannel.Recordings(recordingsDirectory, asteriskRecordingsDirectory, name);
    }

    static String validUniqueId(String uniqueId) {
        if (uniqueId != null && UNIQUE_ID.matcher(uniqueId).matches()) {
            return uniqueId;
        }
        return "invalid";
    }
}
