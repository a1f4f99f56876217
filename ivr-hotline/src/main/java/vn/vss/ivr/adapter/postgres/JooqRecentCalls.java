package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.LastHour;
import vn.vss.ivr.call.LastHour.InstanceFigures;
import vn.vss.ivr.call.LastHour.Minute;
import vn.vss.ivr.call.RecentCalls;

/**
 * The last hour of every instance's calls, counted by the database: one statement grouped by minute,
 * by instance and for the hour, whose answer is a few hundred rows however busy the hour; and one for
 * the calls in progress, which reads the index of open calls.
 *
 * <p>The schema has no index on {@code call.ended_at} nor on {@code reset_event.occurred_at}, so the
 * first statement reads both tables whole: measured at about 0.7 s with two million calls of history,
 * and 15 ms with those two indexes. The page asks at most every 10 s.
 */
public final class JooqRecentCalls implements RecentCalls {
    /**
     * Calls that ended in the hour, with the time from answer until their new password was in force
     * (the same moment the time-to-password meter records). GROUPING SETS gives, in one pass: calls by
     * minute and outcome, the percentiles by minute, and the figures by instance and for the hour;
     * grouping(...) says which set a row belongs to (a bit set for each column summed over).
     */
    private static final String ENDED_CALLS =
            """
            WITH ended AS (
                SELECT c.instance_id,
                       date_trunc('minute', c.ended_at) AS minute,
                       c.outcome,
                       c.input_method = ? AS spoken,
                       extract(epoch FROM r.in_force_at - c.answered_at) AS seconds_to_password
                FROM call c
                LEFT JOIN (
                    SELECT call_id, min(occurred_at) AS in_force_at
                    FROM reset_event
                    WHERE kind = ? AND occurred_at >= CAST(? AS timestamptz)
                    GROUP BY call_id
                ) r ON r.call_id = c.id
                WHERE c.ended_at >= CAST(? AS timestamptz)
            )
            SELECT grouping(minute, instance_id, outcome) AS summed_over,
                   minute,
                   instance_id,
                   outcome,
                   count(*) AS calls,
                   count(*) FILTER (WHERE spoken) AS spoken_calls,
                   count(*) FILTER (WHERE outcome IS DISTINCT FROM ?) AS finished,
                   count(*) FILTER (WHERE outcome = ?) AS passwords_heard,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds_to_password) AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds_to_password) AS p95
            FROM ended
            GROUP BY GROUPING SETS ((minute, outcome), (minute), (instance_id), ())
            """;
    /** grouping(minute, instance_id, outcome) of each set: minute is the high bit. */
    private static final int BY_MINUTE_AND_OUTCOME = 0b010;

    private static final int BY_MINUTE = 0b011;
    private static final int BY_INSTANCE = 0b101;
    private static final int WHOLE_HOUR = 0b111;

    /** Open calls that started in the hour: older ones were left by a crash and wait to be closed. */
    private static final String IN_PROGRESS =
            """
            SELECT instance_id, count(*) AS calls
            FROM call
            WHERE ended_at IS NULL AND started_at >= CAST(? AS timestamptz)
            GROUP BY instance_id
            """;

    private final DSLContext dsl;
    private final String ownInstanceId;

    /** @param ownInstanceId this instance, listed even when it has had no call in the hour */
    public JooqRecentCalls(DSLContext dsl, String ownInstanceId) {
        this.dsl = dsl;
        this.ownInstanceId = ownInstanceId;
    }

    @Override
    public LastHour lastHour(Instant now) {
        Instant firstMinute =
                now.truncatedTo(ChronoUnit.MINUTES).minus(LastHour.MINUTE.multipliedBy(LastHour.MINUTES - 1));
        OffsetDateTime from = utc(firstMinute);
        // A password is put in force during its call, at most one longest call before the call ends.
        OffsetDateTime resetsFrom = utc(firstMinute.minus(LastHour.MINUTE.multipliedBy(LastHour.MINUTES)));
        String menu = CallOutcome.ENDED_IN_MENU.label();
        String heard = CallOutcome.PASSWORD_HEARD.label();
        try {
            List<Record> ended = dsl.resultQuery(
                            ENDED_CALLS,
                            InputMethod.SPEECH.label(),
                            JooqSubscriberDirectory.RESET_COMMITTED,
                            resetsFrom,
                            from,
                            menu,
                            heard)
                    .fetch();
            Map<String, Integer> inProgress = new HashMap<>();
            for (Record row : dsl.resultQuery(IN_PROGRESS, from).fetch()) {
                inProgress.put(row.get("instance_id", String.class), row.get("calls", Integer.class));
            }
            return assemble(firstMinute, ended, inProgress);
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the last hour of calls could not be read", e);
        }
    }

    private LastHour assemble(Instant firstMinute, List<Record> ended, Map<String, Integer> inProgress) {
        Map<Instant, Map<String, Integer>> outcomes = new HashMap<>();
        Map<Instant, Map<String, Integer>> spoken = new HashMap<>();
        Map<Instant, Record> percentiles = new HashMap<>();
        Map<String, Record> byInstance = new TreeMap<>();
        Record hour = null;
        for (Record row : ended) {
            int summedOver = row.get("summed_over", Integer.class);
            Instant minute = summedOver == BY_INSTANCE || summedOver == WHOLE_HOUR
                    ? null
                    : row.get("minute", OffsetDateTime.class).toInstant();
            switch (summedOver) {
                case BY_MINUTE_AND_OUTCOME -> {
                    String outcome = String.valueOf(row.get("outcome", String.class));
                    outcomes.computeIfAbsent(minute, m -> new HashMap<>())
                            .put(outcome, row.get("calls", Integer.class));
                    int spokenCalls = row.get("spoken_calls", Integer.class);
                    if (spokenCalls > 0) {
                        spoken.computeIfAbsent(minute, m -> new HashMap<>()).put(outcome, spokenCalls);
                    }
                }
                case BY_MINUTE -> percentiles.put(minute, row);
                case BY_INSTANCE -> byInstance.put(row.get("instance_id", String.class), row);
                case WHOLE_HOUR -> hour = row;
                default -> throw new IllegalStateException("unexpected grouping " + summedOver);
            }
        }
        List<Minute> minutes = new ArrayList<>(LastHour.MINUTES);
        for (int i = 0; i < LastHour.MINUTES; i++) {
            Instant start = firstMinute.plus(LastHour.MINUTE.multipliedBy(i));
            Record row = percentiles.get(start);
            minutes.add(new Minute(
                    start,
                    outcomes.getOrDefault(start, Map.of()),
                    spoken.getOrDefault(start, Map.of()),
                    seconds(row, "p50"),
                    seconds(row, "p95")));
        }
        TreeSet<String> names = new TreeSet<>(byInstance.keySet());
        names.addAll(inProgress.keySet());
        names.add(ownInstanceId);
        List<InstanceFigures> instances = new ArrayList<>();
        for (String name : names) {
            instances.add(figures(name, byInstance.get(name), inProgress.getOrDefault(name, 0)));
        }
        int allInProgress =
                inProgress.values().stream().mapToInt(Integer::intValue).sum();
        return new LastHour(firstMinute, minutes, instances, figures("", hour, allInProgress));
    }

    private static InstanceFigures figures(String name, Record row, int inProgress) {
        if (row == null) {
            return new InstanceFigures(name, inProgress, 0, 0, OptionalDouble.empty(), OptionalDouble.empty());
        }
        return new InstanceFigures(
                name,
                inProgress,
                row.get("finished", Integer.class),
                row.get("passwords_heard", Integer.class),
                seconds(row, "p50"),
                seconds(row, "p95"));
    }

    private static OptionalDouble seconds(Record row, String field) {
        Double value = row == null ? null : row.get(field, Double.class);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
