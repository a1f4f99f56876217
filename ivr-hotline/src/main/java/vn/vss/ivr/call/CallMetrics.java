package vn.vss.ivr.call;

import java.time.Duration;

/** What supervisors see live. Labels carry categories only: never a number, a code or a call id. */
public interface CallMetrics {
    void callStarted();

    void callEnded(CallOutcome outcome, InputMethod inputMethod, Duration duration);

    void passwordHeard(Duration sinceAnswer);

    void minuteCharged(long amountVnd);

    void verified(Verdict verdict);

    CallMetrics NONE = new CallMetrics() {
        @Override
        public void callStarted() {}

        @Override
        public void callEnded(CallOutcome outcome, InputMethod inputMethod, Duration duration) {}

        @Override
        public void passwordHeard(Duration sinceAnswer) {}

        @Override
        public void minuteCharged(long amountVnd) {}

        @Override
        public void verified(Verdict verdict) {}
    };
}
