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
