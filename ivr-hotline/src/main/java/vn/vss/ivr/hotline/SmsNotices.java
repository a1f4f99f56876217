package vn.vss.ivr.hotline;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.JooqNoticeOutbox;
import vn.vss.ivr.adapter.smpp.SmppSettings;
import vn.vss.ivr.adapter.smpp.SmsNoticeSender;
import vn.vss.ivr.config.IvrConfig;

/** Reset notices by SMS: started when an SMSC is configured; start-up says in one line which it is. */
final class SmsNotices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsNotices.class);

    private final SmsNoticeSender sender;

    private SmsNotices(SmsNoticeSender sender) {
        this.sender = sender;
    }

    static SmsNotices start(IvrConfig config, Database database, MeterRegistry registry) {
        if (config.smsNotices().isEmpty()) {
            log.info(
                    "SMS notices are off (IVR_SMSC_ADDRESS is not set): reset notices stay queued in notification_outbox");
            return new SmsNotices(null);
        }
        SmppSettings sms = config.smsNotices().get();
        log.info(
                "SMS notices are on: SMSC {} as system id '{}', from {}, window {}, at most {}/s",
                sms.address(),
                sms.systemId(),
                sms.source(),
                sms.window(),
                sms.maxPerSecond());
        return new SmsNotices(SmsNoticeSender.start(
                new JooqNoticeOutbox(database.dsl()), sms, config.instanceId(), registry, Clock.systemUTC()));
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
