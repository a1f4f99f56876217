package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to branch 8 of the hotline, from answer to hang-up, in the order the caller hears it:
 *
 * <ol>
 *   <li>answer and greet, stating the price per minute;
 *   <li>ask for the 10-digit BHXH code on the keypad, up to the configured number of tries;
 *   <li>check the code against the calling number;
 *   <li>on a match, read a new password twice and offer to repeat it; otherwise say the uniform
 *       "does not match or is not registered" answer and the other ways to recover;
 *   <li>goodbye and hang up.
 * </ol>
 *
 * <p>With call-back verification ({@link CallStart#callBack()}), step 4 becomes a promise: the caller
 * hears that the registered number will be called back, the call ends, and {@link CallBackDesk}
 * places the call once the caller has hung up. That call-back leg ({@link CallStart#callBackLeg()})
 * is served by this class too: it says why the hotline calls, and only after 1 verifies again and
 * reads the password exactly as in step 4; its minutes are charged to nobody.
 *
 * Whatever happens, the {@code finally} block closes the call record with its charges. The caller
 * never waits for the database to answer or hang up: the record is opened once the call is
 * answered and closed once it is hung up (a slow database makes those writes go to the spool).
 */
public final class PasswordResetCall {
    private static final Logger log = LoggerFactory.getLogger(PasswordResetCall.class);
    private static final String DIGIT_KEYS = "0123456789";

    private final DeadlineChannel caller;
    private CallStart start;
    private final CallServices services;
    private final CallSettings settings;
    /** This call's own time: a step of the system clock during the call does not bend its minutes. */
    private final Clock clock;

    private CallRef call;
    private boolean recordOpened;
    private ChargeMeter meter;
    private InputMethod inputMethod = InputMethod.NONE;
    private int codeTries;
    private BhxhCode reservedCode;
    private boolean passwordInForce;
    /** The call-back promised to this caller, placed once the caller has hung up. */
    private CallBackOrder promisedCallBack;

    public PasswordResetCall(CallerChannel caller, CallStart start, CallServices services) {
        this.start = start;
        this.services = services;
        this.settings = services.settings();
        this.clock = SystemTime.forOneCall(services.clock());
        this.caller = new DeadlineChannel(caller, clock, settings.maxCallDuration(), services.restart());
    }

    /** Runs the whole call and returns how it ended. */
    public CallOutcome run() {
        services.metrics().callStarted();
        CallOutcome outcome = CallOutcome.HUNG_UP;
        try {
            outcome = converse();
        } catch (CallerHungUpException e) {
            outcome = outcomeOfHangUp();
        } catch (LineBrokenException e) {
            log.warn("the line broke: {}", e.getMessage());
            outcome = outcomeOfHangUp();
        } catch (MaxDurationReachedException e) {
            outcome = endAtMaximumDuration();
        } catch (ServiceRestartingException e) {
            outcome = endForRestart();
        } catch (ServiceUnavailableException e) {
            log.error("service unavailable: {}", e.toString());
            outcome = outcomeOfFailure();
        } catch (RuntimeException e) {
            log.error("unexpected failure in the call", e);
            outcome = outcomeOfFailure();
        } finally {
            finish(outcome);
        }
        return outcome;
    }

    private CallOutcome converse() {
        call = CallRef.next();
        if (start.callBackLeg().isPresent()) {
            return converseOnCallBackLeg(start.callBackLeg().get());
        }
        answer();
        Optional<Character> earlyKey = greet();
        CodeRequest.Result asked =
                new CodeRequest(caller, settings, services.recognizer(), start.language()).ask(earlyKey);
        inputMethod = asked.method();
        codeTries = asked.tries();
        Optional<BhxhCode> code = asked.code();
        if (code.isEmpty()) {
            caller.play(Prompt.TOO_MANY_TRIES);
            return CallOutcome.NO_VALID_CODE;
        }
        Verdict verdict = verify(code.get());
        if (!verdict.matched()) {
            tellNotVerified();
            return CallOutcome.NOT_VERIFIED;
        }
        if (start.callBack()) {
            return promiseCallBack(code.get());
        }
        readNewPassword(code.get());
        caller.play(Prompt.GOODBYE);
        return CallOutcome.PASSWORD_HEARD;
    }

    /**
     * Call-back verification: the caller's number matched, but caller ID can be forged, so the
     * password is read only on a call to the registered number, placed once this call has ended.
     * A call-back the limits forbid gets the same answer as any refusal.
     */
    private CallOutcome promiseCallBack(BhxhCode code) {
        CallBackDecision decision = services.callBacks().request(code, call, start.language());
        if (decision.order().isEmpty()) {
            log.info("call-back refused ({}) for code {}", decision.refusal(), code.masked());
            tellNotVerified();
            return CallOutcome.NOT_VERIFIED;
        }
        promisedCallBack = decision.order().get();
        log.info("call-back {} promised for code {}", promisedCallBack.id(), code.masked());
        caller.play(Prompt.CALL_BACK_PROMISE);
        caller.play(Prompt.GOODBYE);
        return CallOutcome.CALL_BACK_PROMISED;
    }

    /**
     * The call to the registered number: whoever answers hears why the hotline calls, and the
     * password is made, read and put in force exactly as on a caller-ID call, but only after 1. The
     * leg verifies again (the reset limits, the code's lock and its reservation hold as for any
     * call), with the number it called. Its minutes are the hotline's cost: nothing is charged.
     */
    private CallOutcome converseOnCallBackLeg(CallBackId id) {
        Optional<CallBackLeg> leg = services.callBacks().claim(id, call);
        leg.ifPresent(claimed -> start = start.legTo(claimed.number()));
        answer();
        if (leg.isEmpty()) {
            log.warn("call-back leg for an unknown, used or stale request: nothing is read");
            caller.play(Prompt.GOODBYE);
            return CallOutcome.CALL_BACK_DECLINED;
        }
        if (!pressedOne()) {
            caller.play(Prompt.GOODBYE);
            return CallOutcome.CALL_BACK_DECLINED;
        }
        BhxhCode code = leg.get().code();
        Verdict verdict = verify(code);
        if (!verdict.matched()) {
            caller.play(Prompt.UNAVAILABLE);
            caller.play(Prompt.GOODBYE);
            return CallOutcome.NOT_VERIFIED;
        }
        readNewPassword(code);
        caller.play(Prompt.GOODBYE);
        return CallOutcome.PASSWORD_HEARD;
    }

    /** "You asked for a new password; press 1 to hear it; if it was not you, hang up", twice at most. */
    private boolean pressedOne() {
        for (int time = 0; time < 2; time++) {
            Optional<Character> key = caller.playUntilKey(Prompt.CALL_BACK_INTRO, "1");
            if (key.isEmpty()) {
                key = caller.waitForKey(settings.perKeyTimeout());
            }
            if (key.isPresent() && key.get() == '1') {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller pays from the moment Asterisk answered (before the menu) when the dialplan said
     * when that was; otherwise from the app's own answer.
     */
    private void answer() {
        caller.answer();
        Instant answeredAt = start.answeredByAsterisk().orElseGet(clock::instant);
        caller.countFrom(answeredAt);
        openRecord();
        // A call-back leg's minutes are the hotline's cost: recorded, but charged to nobody.
        long price = start.callBackLeg().isPresent() ? 0 : settings.pricePerMinuteVnd();
        meter = new ChargeMeter(call, services.ledger(), services.metrics(), clock, price, maxMinutes());
        meter.start(answeredAt);
        services.ticker().watch(meter);
        services.records().answered(call, answeredAt);
    }

    /** Once per call, after the answer (or at the end for a caller who left before it). */
    private void openRecord() {
        if (!recordOpened) {
            recordOpened = true;
            services.records().open(call, start);
        }
    }

    /** The greeting states the price; a caller who already knows the way may start keying the code. */
    private Optional<Character> greet() {
        return caller.playUntilKey(Prompt.WELCOME, DIGIT_KEYS);
    }

    /**
     * Every verdict takes at least the same time, so that a caller cannot tell an unknown code from
     * a wrong number or a locked account by how long the answer takes.
     */
    private Verdict verify(BhxhCode code) {
        long began = System.nanoTime();
        Verdict verdict = services.directory().verifyAndReserve(code, start.callerNumber(), call, clock.instant());
        if (verdict.matched()) {
            reservedCode = code; // from here on, the call's end must release it
        }
        waitUntil(began + settings.verificationPace().toNanos());
        services.metrics().verified(verdict);
        log.info("verification: {} for code {}", verdict.label(), code.masked());
        return verdict;
    }

    private void tellNotVerified() {
        caller.play(Prompt.MISMATCH);
        caller.play(Prompt.OTHER_WAYS);
        caller.play(Prompt.GOODBYE);
    }

    private void readNewPassword(BhxhCode code) {
        try (TemporaryPassword password = TemporaryPassword.generate(services.random(), settings.passwordLength())) {
            String hash = hash(password);
            caller.play(Prompt.PASSWORD_INTRO);
            speak(password);
            putInForce(code, hash);
            caller.play(Prompt.PASSWORD_AGAIN);
            speak(password);
            caller.play(Prompt.PASSWORD_NOTICE);
            offerRepeats(password);
        }
    }

    private String hash(TemporaryPassword password) {
        char[] digits = password.copyOfDigits();
        try {
            return services.hasher().hash(digits);
        } finally {
            Arrays.fill(digits, '\0');
        }
    }

    /** Only now, with the password heard in full once, does it replace the old one. */
    private void putInForce(BhxhCode code, String hash) {
        Instant now = clock.instant();
        boolean committed;
        try {
            committed = services.directory().commitReset(code, call, hash, now.plus(settings.passwordLifetime()), now);
        } catch (ServiceUnavailableException e) {
            committed = committedAllTheSame(e);
        }
        if (!committed) {
            throw new ServiceUnavailableException("the reservation for this reset lapsed", null);
        }
        passwordInForce = true;
        services.metrics().passwordHeard(Duration.between(meter.answeredAt(), now));
        log.info("new password in force for code {}", code.masked());
    }

    /**
     * The commit failed without an answer: the database may have committed before the connection
     * broke. Telling this caller "unavailable" while the password they just heard is in force would
     * leave them locked out, so ask; if even that fails, the commit counts as failed.
     */
    private boolean committedAllTheSame(ServiceUnavailableException failure) {
        try {
            if (services.directory().resetCommittedBy(call)) {
                log.warn("the new password was stored although its commit reported a failure: {}", failure.toString());
                return true;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        throw failure;
    }

    private void offerRepeats(TemporaryPassword password) {
        for (int repeat = 0; repeat < settings.extraRepeats(); repeat++) {
            Optional<Character> key = caller.playUntilKey(Prompt.REPEAT_OFFER, "1");
            if (key.isEmpty()) {
                key = caller.waitForKey(settings.repeatKeyTimeout());
            }
            if (key.isEmpty() || key.get() != '1') {
                return;
            }
            caller.play(Prompt.PASSWORD_AGAIN);
            speak(password);
        }
    }

    /** Digit by digit, in groups with a pause between them, slowly enough to write down. */
    private void speak(TemporaryPassword password) {
        for (int i = 0; i < password.length(); i++) {
            if (i > 0) {
                caller.play(i % settings.passwordGroupSize() == 0 ? Prompt.PAUSE : Prompt.GAP);
            }
            caller.play(Prompt.digit(password.digitAt(i)));
        }
    }

    /** Says why the call ends; a password already in force stays in force. */
    private CallOutcome endAtMaximumDuration() {
        log.info("maximum call duration reached");
        try {
            caller.playRegardless(Prompt.MAX_DURATION);
            caller.playRegardless(Prompt.GOODBYE);
        } catch (RuntimeException ignored) {
            // the caller has gone meanwhile
        }
        return passwordInForce ? CallOutcome.PASSWORD_HEARD : CallOutcome.MAX_DURATION;
    }

    /**
     * The instance stops and the call outlasted its drain limit: the caller is asked to call again
     * (another instance answers); a password already in force stays in force.
     */
    private CallOutcome endForRestart() {
        log.info("call ended by the instance's restart");
        try {
            caller.playRegardless(Prompt.RESTARTING);
            caller.playRegardless(Prompt.GOODBYE);
        } catch (RuntimeException ignored) {
            // the caller has gone meanwhile
        }
        return passwordInForce ? CallOutcome.PASSWORD_HEARD : CallOutcome.INTERRUPTED;
    }

    private CallOutcome outcomeOfHangUp() {
        if (passwordInForce) {
            return CallOutcome.PASSWORD_HEARD;
        }
        if (promisedCallBack != null) {
            return CallOutcome.CALL_BACK_PROMISED;
        }
        return reservedCode != null ? CallOutcome.HUNG_UP_DURING_PASSWORD : CallOutcome.HUNG_UP;
    }

    /** Tells the caller, if still there, that the service is unavailable. */
    private CallOutcome outcomeOfFailure() {
        if (passwordInForce) {
            return CallOutcome.PASSWORD_HEARD;
        }
        try {
            caller.play(Prompt.UNAVAILABLE);
            caller.play(Prompt.GOODBYE);
        } catch (RuntimeException ignored) {
            // the caller has gone too; nothing more to say
        }
        return CallOutcome.SERVICE_UNAVAILABLE;
    }

    private void finish(CallOutcome outcome) {
        // The caller's time ends now, and the caller is hung up at once. What follows (the last
        // charge lines, releasing the code, closing the record) may wait on a slow database; the
        // citizen neither pays nor waits for that.
        Instant endedAt = clock.instant();
        caller.discardRecordings();
        try {
            caller.hangUp();
        } catch (RuntimeException ignored) {
            // already gone
        }
        int billedMinutes = stopMeter(endedAt);
        releaseReservation();
        if (promisedCallBack != null) {
            services.callBacks().dialAfterHangUp(promisedCallBack);
        }
        if (call != null) {
            try {
                openRecord();
                services.records()
                        .close(call, new CallSummary(outcome, inputMethod, codeTries, endedAt, billedMinutes));
            } catch (RuntimeException e) {
                log.error("call record not closed: {}", e.toString());
            }
        }
        Duration duration = meter == null || meter.answeredAt() == null
                ? Duration.ZERO
                : Duration.between(meter.answeredAt(), endedAt);
        services.metrics().callEnded(outcome, inputMethod, duration);
        log.info(
                "call ended: {} after {} s, {} billed minute(s)", outcome.label(), duration.toSeconds(), billedMinutes);
    }

    /**
     * Frees the code for later calls, also after the password was put in force: until now another
     * call for the code, while this caller may still be hearing the password again, had to be
     * refused, or it would have replaced the password this caller is writing down.
     */
    private void releaseReservation() {
        if (reservedCode == null) {
            return;
        }
        try {
            services.directory().releaseReservation(reservedCode, call);
        } catch (RuntimeException e) {
            log.error("could not release the reservation; it lapses by itself: {}", e.toString());
        }
    }

    /** Stops billing at the moment the call ended; returns the minutes billed (0 if never answered). */
    private int stopMeter(Instant endedAt) {
        if (meter == null) {
            return 0;
        }
        services.ticker().forget(meter);
        return meter.stop(endedAt);
    }

    /** The most minutes a call can be billed: those of a call lasting the maximum duration. */
    private int maxMinutes() {
        return (int) ChargeMeter.billedMinutes(settings.maxCallDuration());
    }

    private static void waitUntil(long nanoTime) {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, remaining / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
