package vn.vss.ivr.adapter.agi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What happens to FastAGI connections before a call starts. Labels are closed sets of words; no
 * address, caller ID or value from Asterisk becomes a label.
 */
final class FrontDoorMetrics {
    /** Why an accepted connection got Asterisk's fast failure instead of a call. */
    enum Failure {
        /** The environment block (and its check) did not arrive within IVR_AGI_ENVIRONMENT_TIMEOUT. */
        ENVIRONMENT_TIMEOUT("environment_timeout"),
        /** The environment block was longer than any Asterisk sends. */
        ENVIRONMENT_TOO_LONG("environment_too_long"),
        /** Pushed out, as the oldest, by newer connections over the limit of environments being read. */
        TOO_MANY_WAITING("too_many_waiting"),
        /** Every call thread was busy, refusals included. */
        NO_CALL_THREAD("no_call_thread");

        private final String label;

        Failure(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
    private final Map<AgiEnvironment.Rejection, Counter> rejections = new EnumMap<>(AgiEnvironment.Rejection.class);

    FrontDoorMetrics(MeterRegistry registry, Supplier<Number> environmentsWaiting) {
        for (Failure failure : Failure.values()) {
            failures.put(
                    failure,
                    Counter.builder("ivr.agi.connections.failed")
                            .description("FastAGI connections answered FAILURE (Asterisk plays 'unavailable')"
                                    + " before a call started, by reason")
                            .tag("reason", failure.label)
                            .register(registry));
        }
        for (AgiEnvironment.Rejection rejection : AgiEnvironment.Rejection.values()) {
            rejections.put(
                    rejection,
                    Counter.builder("ivr.agi.environment.rejected")
                            .description("Calls whose AGI environment block was refused (served as from no"
                                    + " valid number), by reason")
                            .tag("reason", rejection.label())
                            .register(registry));
        }
        Gauge.builder("ivr.agi.environments.waiting", environmentsWaiting)
                .description("FastAGI connections still sending their environment block")
                .register(registry);
    }

    void failed(Failure failure) {
        failures.get(failure).increment();
    }

    void rejected(AgiEnvironment.Rejection rejection) {
        rejections.get(rejection).increment();
    }
}
