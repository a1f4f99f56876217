package vn.vss.ivr.adapter.smpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import vn.vss.ivr.call.NoticeOutbox.Backlog;

/**
 * The SMS sender's figures. Labels are closed sets of words: a result, a retry reason, a receipt
 * state; never a number or a message id.
 */
final class SmsNoticeMetrics {
    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter failed;
    private final Counter inDoubt;
    private final AtomicLong oldestWaitingSeconds = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong inDoubtNow = new AtomicLong();
    private final AtomicLong bound = new AtomicLong();

    SmsNoticeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sent = result("sent");
        this.failed = result("failed");
        this.inDoubt = result("in_doubt");
        for (String reason : new String[] {"throttled", "smsc_error", "smsc_unavailable"}) {
            retryCounter(reason);
        }
        Gauge.builder("ivr.sms.oldest.waiting", oldestWaitingSeconds, AtomicLong::get)
                .baseUnit("seconds")
                .description("Age of the oldest reset notice not yet accepted by the SMSC (0: none waiting)")
                .register(registry);
        Gauge.builder("ivr.sms.waiting", waiting, AtomicLong::get)
                .description("Reset notices waiting to be sent by SMS")
                .register(registry);
        Gauge.builder("ivr.sms.in.doubt", inDoubtNow, AtomicLong::get)
                .description("Reset notices in doubt: maybe sent, never resent by themselves; an operator decides")
                .register(registry);
        Gauge.builder("ivr.smsc.bound", bound, AtomicLong::get)
                .description("1 while this instance is bound to the SMSC")
                .register(registry);
    }

    private Counter result(String result) {
        return Counter.builder("ivr.sms.notices")
                .description("Reset notices settled, by result")
                .tag("result", result)
                .register(registry);
    }

    private Counter retryCounter(String reason) {
        return Counter.builder("ivr.sms.retries")
                .description("Reset notices put back to be tried again, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    void sent() {
        sent.increment();
    }

    void failed() {
        failed.increment();
    }

    void inDoubt(int notices) {
        inDoubt.increment(notices);
    }

    void retried(String reason) {
        retryCounter(reason).increment();
    }

    void receipt(String state) {
        Counter.builder("ivr.sms.receipts")
                .description("Delivery receipts received, by final state")
                .tag("state", state.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    void bound(boolean isBound) {
        bound.set(isBound ? 1 : 0);
    }

    void backlog(Backlog backlog) {
        oldestWaitingSeconds.set(
                backlog.oldestWaiting().map(age -> age.toSeconds()).orElse(0L));
        waiting.set(backlog.waiting());
        inDoubtNow.set(backlog.inDoubt());
    }
}
