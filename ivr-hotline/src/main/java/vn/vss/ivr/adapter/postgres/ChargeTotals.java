package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Calls, billed minutes and VND by outcome, summed straight from the charge lines. Call-back legs
 * (placed and paid for by the hotline, charged to nobody) have rows of their own, named
 * {@code call_back_leg:<outcome>}.
 */
public final class ChargeTotals {
    /** Vietnam has one time zone and no daylight saving: days of the report are Vietnam days. */
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    /** One outcome's totals. */
    public record Row(String outcome, int calls, int billedMinutes, long vnd) {}

    private ChargeTotals() {}

    /** Calls that started between {@code from} and {@code to} inclusive, by outcome (open calls as "in_progress"). */
    public static List<Row> byOutcome(DSLContext dsl, LocalDate from, LocalDate to) {
        var start = from.atStartOfDay(VIETNAM).toOffsetDateTime();
        var end = to.plusDays(1).atStartOfDay(VIETNAM).toOffsetDateTime();
        // Call-back legs are the hotline's own calls: their minutes are its cost, shown apart.
        var outcomeValue = DSL.when(
                        CALL.CALL_BACK,
                        DSL.inline("call_back_leg:").concat(DSL.coalesce(CALL.OUTCOME, DSL.inline("in_progress"))))
                .otherwise(DSL.coalesce(CALL.OUTCOME, DSL.inline("in_progress")));
        // Grouped by the expression: a GROUP BY "outcome" would name the column call.outcome.
        var outcome = outcomeValue.as("outcome");
        var lines = DSL.select(
                        CHARGE_LINE.CALL_ID,
                        DSL.count().as("minutes"),
                        DSL.sum(CHARGE_LINE.AMOUNT_VND).as("vnd"))
                .from(CHARGE_LINE)
                .groupBy(CHARGE_LINE.CALL_ID)
                .asTable("lines");
        var minutes = lines.field("minutes", Integer.class);
        var vnd = lines.field("vnd", BigDecimal.class);
        return dsl.select(
                        outcome,
                        DSL.count(),
                        DSL.coalesce(DSL.sum(minutes), BigDecimal.ZERO),
                        DSL.coalesce(DSL.sum(vnd), BigDecimal.ZERO))
                .from(CALL)
                .leftJoin(lines)
                .on(lines.field(CHARGE_LINE.CALL_ID).eq(CALL.ID))
                .where(CALL.STARTED_AT.ge(start))
                .and(CALL.STARTED_AT.lt(end))
                .groupBy(outcomeValue)
                .orderBy(outcomeValue)
                .fetch(r -> new Row(
                        r.value1(),
                        r.value2(),
                        r.value3().intValue(),
                        r.value4().longValue()));
    }
}
