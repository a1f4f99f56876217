package vn.vss.ivr.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the supervisor sees of the last hour: per minute, the calls that ended by outcome (all of them
 * and those whose caller spoke the code) and the time to password; per instance, its calls in progress
 * and its finished calls. Outcomes are the labels the call records hold ({@link CallOutcome#label()}).
 *
 * @param firstMinute start of the oldest minute shown
 * @param minutes one entry per minute, oldest first, {@link #MINUTES} of them, empty minutes included
 * @param instances every instance with a call in the hour or in progress, by name
 * @param total the same figures for all instances together
 */
public record LastHour(
        Instant firstMinute, List<Minute> minutes, List<InstanceFigures> instances, InstanceFigures total) {
    public static final int MINUTES = 60;
    public static final Duration MINUTE = Duration.ofMinutes(1);

    public LastHour {
        minutes = List.copyOf(minutes);
        instances = List.copyOf(instances);
    }

    /**
     * Calls that ended in one minute.
     *
     * @param outcomes calls by outcome
     * @param spokenOutcomes of those, the calls whose code was given by voice, by outcome
     * @param p50SecondsToPassword median time from answer until the new password was in force, of the
     *     calls that ended in this minute having heard it
     * @param p95SecondsToPassword the 95th percentile of the same
     */
    public record Minute(
            Instant start,
            Map<String, Integer> outcomes,
            Map<String, Integer> spokenOutcomes,
            OptionalDouble p50SecondsToPassword,
            OptionalDouble p95SecondsToPassword) {
        public Minute {
            outcomes = Map.copyOf(outcomes);
            spokenOutcomes = Map.copyOf(spokenOutcomes);
        }

        public int calls() {
            return outcomes.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int spokenCalls() {
            return spokenOutcomes.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int passwordsHeard() {
            return outcomes.getOrDefault(CallOutcome.PASSWORD_HEARD.label(), 0);
        }
    }

    /**
     * One instance's hour (or all instances').
     *
     * @param inProgress calls open now
     * @param finished calls that ended in the hour at the assistant (those that ended in the hotline's
     *     menu are not counted: they never asked for a reset)
     * @param passwordsHeard calls of the hour whose caller heard a new password
     */
    public record InstanceFigures(
            String instanceId,
            int inProgress,
            int finished,
            int passwordsHeard,
            OptionalDouble p50SecondsToPassword,
            OptionalDouble p95SecondsToPassword) {

        /** Passwords heard over finished calls; empty when no call finished. */
        public OptionalDouble successRatio() {
            return finished == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) passwordsHeard / finished);
        }
    }
}
