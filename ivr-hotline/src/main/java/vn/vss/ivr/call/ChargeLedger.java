package vn.vss.ivr.call;

import java.time.Instant;

/** Per-minute charge lines. Writing the same minute of the same call twice counts once. */
public interface ChargeLedger {
    void chargeMinute(CallRef call, int minute, long amountVnd, Instant minuteStartedAt);
}
