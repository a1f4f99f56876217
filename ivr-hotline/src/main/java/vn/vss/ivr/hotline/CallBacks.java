package vn.vss.ivr.hotline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.ami.AmiCallBackDialer;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.JooqCallBackRequests;
import vn.vss.ivr.call.CallBackDesk;
import vn.vss.ivr.call.CallBackResult;
import vn.vss.ivr.config.CallBackSettings;
import vn.vss.ivr.config.IvrConfig;

/** The call-back desk of the configured verification mode: requests in PostgreSQL, calls over AMI. */
final class CallBacks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallBacks.class);

    private final CallBackDesk desk;
    private final AmiCallBackDialer dialer;

    private CallBacks(CallBackDesk desk, AmiCallBackDialer dialer) {
        this.desk = desk;
        this.dialer = dialer;
    }

    static CallBacks start(IvrConfig config, Database database, MeterRegistry registry) {
        CallBackSettings settings = config.callBack();
        if (settings.ami().isEmpty()) {
            log.info("verification by caller ID (IVR_VERIFICATION_MODE=caller-id): nobody is called back");
            return new CallBacks(CallBackDesk.NONE, null);
        }
        AmiCallBackDialer dialer = new AmiCallBackDialer(settings.ami().get());
        CallBackDesk desk = new CallBackDesk(
                        settings.mode(),
                        settings.untrustedTrunks(),
                        new JooqCallBackRequests(
                                database.dsl(),
                                config.rateLimits().maxResetsPerCode(),
                                config.rateLimits().resetWindow(),
                                settings.gap()),
                        dialer,
                        settings.delay(),
                        settings.freshness(),
                        Clock.systemUTC())
                .tellingResultsTo(countedIn(registry));
        log.info(
                "verification by call-back (IVR_VERIFICATION_MODE={}{}), through Asterisk's manager at {}:{}",
                settings.mode().setting(),
                settings.untrustedTrunks().isEmpty() ? "" : ", untrusted trunks " + settings.untrustedTrunks(),
                settings.ami().get().host(),
                settings.ami().get().port());
        return new CallBacks(desk, dialer);
    }

    /**
     * ivr_callbacks_total{result}: every result registered at start, so that a supervisor sees zeros
     * rather than no series, and an alert can compare failures with the calls placed.
     */
    private static Consumer<CallBackResult> countedIn(MeterRegistry registry) {
        Map<CallBackResult, Counter> counters = new EnumMap<>(CallBackResult.class);
        for (CallBackResult result : CallBackResult.values()) {
            counters.put(
                    result,
                    Counter.builder("ivr.callbacks")
                            .description("Call-backs placed over AMI, by what became of them")
                            .tag("result", result.label())
                            .register(registry));
        }
        return result -> counters.get(result).increment();
    }

    CallBackDesk desk() {
        return desk;
    }

    @Override
    public void close() {
        desk.close();
        if (dialer != null) {
            dialer.close();
        }
    }
}
