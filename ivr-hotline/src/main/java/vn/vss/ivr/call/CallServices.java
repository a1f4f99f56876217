package vn.vss.ivr.call;

import java.security.SecureRandom;
import java.time.Clock;

/** Everything a call needs besides the caller's channel; shared by all calls. */
public record CallServices(
        CallRecords records,
        ChargeLedger ledger,
        SubscriberDirectory directory,
        PasswordHasher hasher,
        SpeechRecognizer recognizer,
        CallMetrics metrics,
        ChargeTicker ticker,
        Clock clock,
        SecureRandom random,
        CallSettings settings,
        RestartNotice restart,
        CallBackDesk callBacks) {

    /** Services of a hotline that verifies by caller ID alone. */
    public CallServices(
            CallRecords records,
            ChargeLedger ledger,
            SubscriberDirectory directory,
            PasswordHasher hasher,
            SpeechRecognizer recognizer,
            CallMetrics metrics,
            ChargeTicker ticker,
            Clock clock,
            SecureRandom random,
            CallSettings settings,
            RestartNotice restart) {
        this(
                records,
                ledger,
                directory,
                hasher,
                recognizer,
                metrics,
                ticker,
                clock,
                random,
                settings,
                restart,
                CallBackDesk.NONE);
    }

    /** Services whose calls are never ended by a restart (the instance is not drained). */
    public CallServices(
            CallRecords records,
            ChargeLedger ledger,
            SubscriberDirectory directory,
            PasswordHasher hasher,
            SpeechRecognizer recognizer,
            CallMetrics metrics,
            ChargeTicker ticker,
            Clock clock,
            SecureRandom random,
            CallSettings settings) {
        this(
                records,
                ledger,
                directory,
                hasher,
                recognizer,
                metrics,
                ticker,
                clock,
                random,
                settings,
                new RestartNotice());
    }
}
