package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answered call that the password line never served: the caller hung up in the hotline's menu,
 * pressed a wrong key or none ({@code ended_in_menu}), or heard that the service is unavailable
 * because the hotline was full or could not be reached ({@code service_unavailable}). Asterisk
 * answered before the menu, so the caller pays the carrier from then; the call gets a call record
 * (no input) and its charge lines like any other call. Nothing more is said to the caller.
 */
public final class MenuCall {
    private static final Logger log = LoggerFactory.getLogger(MenuCall.class);

    private final CallStart start;
    private final CallServices services;
    private final CallOutcome outcome;

    /** A call that ended in the menu. */
    public MenuCall(CallStart start, CallServices services) {
        this(start, services, CallOutcome.ENDED_IN_MENU);
    }

    public MenuCall(CallStart start, CallServices services, CallOutcome outcome) {
        this.start = start;
        this.services = services;
        this.outcome = outcome;
    }

    /** Records the call as ended now; returns the minutes billed. */
    public int record() {
        Instant endedAt = services.clock().instant();
        // Without the answer time the call is billed as though answered now: one minute.
        Instant answeredAt = start.answeredByAsterisk().orElse(endedAt);
        CallRef call = CallRef.next();
        CallSettings settings = services.settings();
        services.metrics().callStarted();
        int billed = 0;
        try {
            services.records().open(call, start);
            services.records().answered(call, answeredAt);
            // The call is over: the meter's time stands still at its end.
            ChargeMeter meter = new ChargeMeter(
                    call,
                    services.ledger(),
                    services.metrics(),
                    Clock.fixed(endedAt, Clock.systemUTC().getZone()),
                    settings.pricePerMinuteVnd(),
                    (int) ChargeMeter.billedMinutes(settings.maxCallDuration()));
            meter.start(answeredAt);
            billed = meter.stop(endedAt);
            services.records().close(call, new CallSummary(outcome, InputMethod.NONE, 0, endedAt, billed));
        } catch (RuntimeException e) {
            log.error("a call that was not served ({}) could not be recorded: {}", outcome.label(), e.toString());
        } finally {
            Duration duration = Duration.between(answeredAt, endedAt);
            services.metrics().callEnded(outcome, InputMethod.NONE, duration);
            log.info("call ended: {} after {} s, {} billed minute(s)", outcome.label(), duration.toSeconds(), billed);
        }
        return billed;
    }
}
