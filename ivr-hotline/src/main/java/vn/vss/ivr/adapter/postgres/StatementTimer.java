package vn.vss.ivr.adapter.postgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/** Times every SQL statement as {@code ivr_db_statement_seconds}; bind values are never looked at. */
final class StatementTimer implements ExecuteListener {
    private static final long serialVersionUID = 1L;
    private static final String STARTED = "ivr.started";

    private final transient Timer timer;

    StatementTimer(MeterRegistry registry) {
        this.timer = Timer.builder("ivr.db.statement")
                .description("Time to execute one SQL statement")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void executeStart(ExecuteContext ctx) {
        ctx.data(STARTED, System.nanoTime());
    }

    @Override
    public void executeEnd(ExecuteContext ctx) {
        Object started = ctx.data(STARTED);
        if (started instanceof Long nanos) {
            timer.record(System.nanoTime() - nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
