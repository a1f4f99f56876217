package vn.vss.ivr;

import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.config.IvrConfig;

/**
 * Calls, billed minutes and VND by outcome for a day or a range of days (Vietnam time), summed
 * straight from the charge lines.
 */
public final class ChargesReport {
    /** Vietnam has one time zone and no daylight saving. */
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    /** One row of the report. */
    public record Row(String outcome, int calls, int billedMinutes, long vnd) {}

    private ChargesReport() {}

    static int run(IvrConfig config, Map<String, String> options, PrintStream out) throws Exception {
        LocalDate from = options.containsKey("from") ? LocalDate.parse(options.get("from")) : LocalDate.now(VIETNAM);
        LocalDate to = options.containsKey("to") ? LocalDate.parse(options.get("to")) : from;
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        try (Database database = Database.start(config.database(), new SimpleMeterRegistry())) {
            List<Row> rows = rows(database.dsl(), from, to);
            print(rows, from, to, options.containsKey("csv"), out);
        }
        return 0;
    }

    /** Calls that started between {@code from} and {@code to} inclusive, by outcome (open calls as "in_progress"). */
    public static List<Row> rows(DSLContext dsl, LocalDate from, LocalDate to) {
        var start = from.atStartOfDay(VIETNAM).toOffsetDateTime();
        var end = to.plusDays(1).atStartOfDay(VIETNAM).toOffsetDateTime();
        var outcome = DSL.coalesce(CALL.OUTCOME, DSL.inline("in_progress")).as("outcome");
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
                .groupBy(outcome)
                .orderBy(outcome)
                .fetch(r -> new Row(
                        r.value1(),
                        r.value2(),
                        r.value3().intValue(),
                        r.value4().longValue()));
    }

    /** Prints the report as an aligned table or as CSV with a total line. */
    public static void print(List<Row> rows, LocalDate from, LocalDate to, boolean csv, PrintStream out) {
        int calls = rows.stream().mapToInt(Row::calls).sum();
        int minutes = rows.stream().mapToInt(Row::billedMinutes).sum();
        long vnd = rows.stream().mapToLong(Row::vnd).sum();
        if (csv) {
            out.println("outcome,calls,billed_minutes,vnd");
            rows.forEach(r -> out.printf("%s,%d,%d,%d%n", r.outcome(), r.calls(), r.billedMinutes(), r.vnd()));
            out.printf("total,%d,%d,%d%n", calls, minutes, vnd);
            return;
        }
        out.printf("Charges for calls started %s%s (Vietnam time)%n", from, to.equals(from) ? "" : " to " + to);
        out.printf("%-26s %8s %15s %15s%n", "outcome", "calls", "billed minutes", "VND");
        rows.forEach(r -> out.printf("%-26s %8d %15d %15d%n", r.outcome(), r.calls(), r.billedMinutes(), r.vnd()));
        out.printf("%-26s %8d %15d %15d%n", "total", calls, minutes, vnd);
    }
}
