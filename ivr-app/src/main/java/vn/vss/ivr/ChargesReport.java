package vn.vss.ivr;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import vn.vss.ivr.adapter.postgres.ChargeTotals;
import vn.vss.ivr.adapter.postgres.ChargeTotals.Row;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.config.IvrConfig;

/**
 * The {@code charges-report} command: calls, billed minutes and VND by outcome for a day or a range
 * of days (Vietnam time), summed straight from the charge lines by {@link ChargeTotals}.
 */
public final class ChargesReport {
    /** Vietnam has one time zone and no daylight saving. */
    public static final ZoneId VIETNAM = ChargeTotals.VIETNAM;

    private ChargesReport() {}

    static int run(IvrConfig config, Map<String, String> options, PrintStream out) throws Exception {
        LocalDate from = options.containsKey("from") ? LocalDate.parse(options.get("from")) : LocalDate.now(VIETNAM);
        LocalDate to = options.containsKey("to") ? LocalDate.parse(options.get("to")) : from;
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        try (Database database = Database.start(config.database(), new SimpleMeterRegistry())) {
            List<Row> rows = ChargeTotals.byOutcome(database.dsl(), from, to);
            print(rows, from, to, options.containsKey("csv"), out);
        }
        return 0;
    }

    /**
     * Prints the report as an aligned table or as CSV with a total line. Call-back legs (rows
     * {@code call_back_leg:<outcome>}) are the hotline's own calls: they are listed, but their
     * minutes are the hotline's cost, so they are summed on a line of their own and left out of the
     * total charged to callers.
     */
    public static void print(List<Row> rows, LocalDate from, LocalDate to, boolean csv, PrintStream out) {
        List<Row> callers = rows.stream().filter(r -> !isCallBackLeg(r)).toList();
        List<Row> legs = rows.stream().filter(ChargesReport::isCallBackLeg).toList();
        int calls = callers.stream().mapToInt(Row::calls).sum();
        int minutes = callers.stream().mapToInt(Row::billedMinutes).sum();
        long vnd = callers.stream().mapToLong(Row::vnd).sum();
        int legCalls = legs.stream().mapToInt(Row::calls).sum();
        int legMinutes = legs.stream().mapToInt(Row::billedMinutes).sum();
        if (csv) {
            out.println("outcome,calls,billed_minutes,vnd");
            rows.forEach(r -> out.printf("%s,%d,%d,%d%n", r.outcome(), r.calls(), r.billedMinutes(), r.vnd()));
            out.printf("total,%d,%d,%d%n", calls, minutes, vnd);
            if (!legs.isEmpty()) {
                out.printf("call_back_legs_hotline_cost,%d,%d,0%n", legCalls, legMinutes);
            }
            return;
        }
        out.printf("Charges for calls started %s%s (Vietnam time)%n", from, to.equals(from) ? "" : " to " + to);
        out.printf("%-34s %8s %15s %15s%n", "outcome", "calls", "billed minutes", "VND");
        callers.forEach(r -> out.printf("%-34s %8d %15d %15d%n", r.outcome(), r.calls(), r.billedMinutes(), r.vnd()));
        out.printf("%-34s %8d %15d %15d%n", "total", calls, minutes, vnd);
        if (!legs.isEmpty()) {
            out.println();
            out.println("Call-backs placed by the hotline (its own cost, charged to nobody)");
            legs.forEach(r -> out.printf("%-34s %8d %15d %15d%n", r.outcome(), r.calls(), r.billedMinutes(), r.vnd()));
            out.printf("%-34s %8d %15d %15s%n", "call-back total", legCalls, legMinutes, "-");
        }
    }

    private static boolean isCallBackLeg(Row row) {
        return row.outcome().startsWith("call_back_leg:");
    }
}
