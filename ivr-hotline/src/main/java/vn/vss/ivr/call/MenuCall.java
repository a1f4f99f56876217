package vn.vss.ivr.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answered call that never reached branch 8 or 9: the caller hung up in the hotline's menu,
 * pressed a wrong key or none. Asterisk answered before the menu, so the caller pays the carrier
 * from then; the dialplan's hang-up handler reports the call once it is over, and it gets a call
 * record (outcome {@code ended_in_menu}, no input) and its charge lines like any other call.
 * Nothing is said to the caller, who has gone.
 */
public final class MenuCall {
    private static final Logger log = LoggerFactory.getLogger(MenuCall.class);

    private final CallStart start;
    private final CallServices services;

    public MenuCall(CallStart start, CallServices services) {
        this.start = start;
        this.services = services;
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
            services.records()
                    .close(call, new CallSummary(CallOutcome.ENDED_IN_MENU, InputMethod.NONE, 0, endedAt, billed));
        } catch (RuntimeException e) {
            log.error("a call that ended in the menu could not be recorded: {}", e.toString());
        } finally {
            Duration duration = Duration.between(answeredAt, endedAt);
            services.metrics().callEnded(CallOutcome.ENDED_IN_MENU, InputMethod.NONE, duration);
            log.info(
                    "call ended: {} after {} s, {} billed minute(s)",
                    CallOutcome.ENDED_IN_MENU.label(),
                    duration.toSeconds(),
                    billed);
        }
        return billed;
    }
}
