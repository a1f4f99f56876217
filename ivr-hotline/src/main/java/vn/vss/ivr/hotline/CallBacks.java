package vn.vss.ivr.hotline;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.ami.AmiCallBackDialer;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.JooqCallBackRequests;
import vn.vss.ivr.call.CallBackDesk;
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

    static CallBacks start(IvrConfig config, Database database) {
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
                Clock.systemUTC());
        log.info(
                "verification by call-back (IVR_VERIFICATION_MODE={}{}), through Asterisk's manager at {}:{}",
                settings.mode().setting(),
                settings.untrustedTrunks().isEmpty() ? "" : ", untrusted trunks " + settings.untrustedTrunks(),
                settings.ami().get().host(),
                settings.ami().get().port());
        return new CallBacks(desk, dialer);
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
