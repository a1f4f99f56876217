package vn.vss.ivr.hotline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.spool.SpooledCallStore;

/** The gauges of the running process and of the parts that are not calls: JVM, spool, database. */
final class HotlineGauges {
    private HotlineGauges() {}

    static void ofTheJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    static void ofTheSpool(MeterRegistry registry, SpooledCallStore spool) {
        Gauge.builder("ivr.spool.pending", spool, SpooledCallStore::pending)
                .description("Call events waiting in the local spool for the database")
                .register(registry);
        FunctionCounter.builder("ivr.spool.rejected", spool, SpooledCallStore::rejected)
                .description("Spooled call events the database refused for what they hold, set aside")
                .register(registry);
    }

    static void ofTheDatabase(MeterRegistry registry, Database database) {
        Gauge.builder("ivr.database.up", database, db -> db.answers() ? 1 : 0)
                .description("1 when the database answers a query, 0 when it does not")
                .register(registry);
    }
}
