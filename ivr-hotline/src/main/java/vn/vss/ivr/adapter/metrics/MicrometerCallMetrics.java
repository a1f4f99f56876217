package vn.vss.ivr.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import vn.vss.ivr.call.CallMetrics;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.Verdict;

/**
 * The call's figures in Micrometer, scraped by Prometheus as {@code ivr_*}. Tags are closed sets of
 * words (outcome, input method, verdict); nothing a caller typed or sent becomes a label.
 */
public final class MicrometerCallMetrics implements CallMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Timer timeToPassword;
    private final Counter billedMinutes;
    private final Counter chargedVnd;
    private final Counter resets;
    private final Counter refusedPeers;

    public MicrometerCallMetrics(MeterRegistry registry, int capacity) {
        this.registry = registry;
        Gauge.builder("ivr.calls.active", active, AtomicInteger::get)
                .description("Calls in progress")
                .register(registry);
        Gauge.builder("ivr.calls.capacity", () -> capacity)
                .description("Most concurrent calls the server takes")
                .register(registry);
        timeToPassword = Timer.builder("ivr.time.to.password")
                .description("Time from answer until the caller has heard the new password in full")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(5))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        billedMinutes = Counter.builder("ivr.billed.minutes")
                .description("Charge lines written")
                .register(registry);
        chargedVnd = Counter.builder("ivr.charged.vnd")
                .description("VND charged to callers")
                .register(registry);
        resets = Counter.builder("ivr.resets")
                .description("New passwords put in force")
                .register(registry);
        refusedPeers = Counter.builder("ivr.agi.peers.refused")
                .description("FastAGI connections refused: peer not in the allowlist")
                .register(registry);
        Counter.builder("ivr.calls.refused")
                .description("Calls refused because the concurrent-call limit was reached")
                .register(registry);
        for (CallOutcome outcome : CallOutcome.values()) {
            for (InputMethod method : InputMethod.values()) {
                callsCounter(outcome, method);
            }
        }
        for (Verdict verdict : Verdict.values()) {
            verificationCounter(verdict);
        }
    }

    @Override
    public void callStarted() {
        active.incrementAndGet();
    }

    @Override
    public void callEnded(CallOutcome outcome, InputMethod inputMethod, Duration duration) {
        active.decrementAndGet();
        callsCounter(outcome, inputMethod).increment();
        Timer.builder("ivr.call.duration")
                .description("Call duration from answer to hang-up")
                .tag("outcome", outcome.label())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(5))
                .maximumExpectedValue(Duration.ofMinutes(15))
                .register(registry)
                .record(duration);
    }

    @Override
    public void passwordHeard(Duration sinceAnswer) {
        resets.increment();
        timeToPassword.record(sinceAnswer);
    }

    @Override
    public void minuteCharged(long amountVnd) {
        billedMinutes.increment();
        chargedVnd.increment(amountVnd);
    }

    @Override
    public void verified(Verdict verdict) {
        verificationCounter(verdict).increment();
        if (verdict.isRateLimit() || verdict == Verdict.RESET_IN_PROGRESS) {
            Counter.builder("ivr.rate.limit.refusals")
                    .description("Verifications refused by a rate limit")
                    .tag("limit", verdict.label())
                    .register(registry)
                    .increment();
        }
    }

    /** A call over the concurrent-call limit was refused politely. */
    public void callRefused() {
        Counter.builder("ivr.calls.refused")
                .description("Calls refused because the concurrent-call limit was reached")
                .register(registry)
                .increment();
    }

    /** A FastAGI peer outside the allowlist was refused. */
    public void peerRefused() {
        refusedPeers.increment();
    }

    private Counter callsCounter(CallOutcome outcome, InputMethod method) {
        return Counter.builder("ivr.calls")
                .description("Finished calls by outcome and input method")
                .tag("outcome", outcome.label())
                .tag("input", method.label())
                .register(registry);
    }

    private Counter verificationCounter(Verdict verdict) {
        return Counter.builder("ivr.verifications")
                .description("Verifications by verdict")
                .tag("verdict", verdict.label())
                .register(registry);
    }
}
