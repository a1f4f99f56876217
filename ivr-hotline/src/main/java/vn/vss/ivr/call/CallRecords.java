package vn.vss.ivr.call;

import java.time.Instant;

/** The call records: one per call, opened on arrival and closed at hang-up with its outcome and total. */
public interface CallRecords {
    void open(CallRef call, CallStart start);

    void answered(CallRef call, Instant answeredAt);

    /** Closes the record; its charged total is the sum of the call's charge lines. */
    void close(CallRef call, CallSummary summary);
}
