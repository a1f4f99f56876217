package vn.vss.ivr.call;

import java.time.Instant;

/** What the call record keeps when the call ends. */
public record CallSummary(
        CallOutcome outcome, InputMethod inputMethod, int codeTries, Instant endedAt, int billedMinutes) {}
