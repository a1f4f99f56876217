package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.JooqCallRecords;
import vn.vss.ivr.adapter.postgres.JooqChargeLedger;
import vn.vss.ivr.adapter.spool.SpooledCallStore;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.LogCapture;

/**
 * The spool against a real PostgreSQL: an event the database will always refuse is set aside and
 * the events behind it still arrive, while a database that is down sets nothing aside.
 */
class SpoolReplayIT {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final String PHONE = "+84981234567";

    @Test
    void givenAnEventTheDatabaseAlwaysRefuses_thenItIsSetAsideAndTheRestOfTheSpoolArrives() throws Exception {
        LogCapture logs = LogCapture.install();
        Path directory = Files.createTempDirectory("ivr-spool-");
        Path spoolFile = directory.resolve("call-events.log");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"));
                Database database = Database.start(settings(postgres), new SimpleMeterRegistry())) {
            SpooledCallStore spool = new SpooledCallStore(
                    new JooqCallRecords(database.dsl(), "spool-test"), new JooqChargeLedger(database.dsl()), spoolFile);
            CallRef call = CallRef.next();
            CallRef neverOpened = CallRef.next();

            postgres.stop();
            spool.open(
                    call, new CallStart("1700000000.7", PHONE, Optional.of(new PhoneNumber(PHONE)), Language.VI, T0));
            // No call record for it: the charge line's foreign key refuses it, now and forever.
            spool.chargeMinute(neverOpened, 1, 1_000, T0);
            spool.chargeMinute(call, 1, 1_000, T0);
            spool.close(call, new CallSummary(CallOutcome.HUNG_UP, InputMethod.KEYPAD, 0, T0.plusSeconds(50), 1));
            assertThat(spool.pending()).isEqualTo(4);

            // Down is not refused: nothing is set aside, everything waits.
            assertThat(spool.replay()).isZero();
            assertThat(spool.pending()).isEqualTo(4);
            assertThat(spool.rejected()).isZero();

            postgres.start();
            assertThat(spool.replay()).isEqualTo(4);

            assertThat(spool.pending()).isZero();
            assertThat(spool.rejected()).isEqualTo(1);
            var dsl = postgres.dsl();
            var record = dsl.selectFrom(CALL).where(CALL.ID.eq(call.id())).fetchOne();
            assertThat(record.getOutcome()).isEqualTo("hung_up");
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            assertThat(dsl.fetchCount(CHARGE_LINE)).isEqualTo(1);
            assertThat(Files.readAllLines(directory.resolve("call-events.log.rejected")))
                    .singleElement()
                    .asString()
                    .startsWith("charge\t" + neverOpened.id());
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN")
                    .contains("'charge'")
                    .contains("SQLSTATE 23503"));
            assertThat(logs.all())
                    .doesNotContain(PHONE)
                    .doesNotContain(neverOpened.id().toString());

            // New events go straight to the database again.
            CallRef next = CallRef.next();
            spool.open(next, new CallStart("1700000001.8", "", Optional.empty(), Language.VI, T0));
            assertThat(spool.pending()).isZero();
            assertThat(dsl.fetchCount(CALL, CALL.ID.eq(next.id()))).isEqualTo(1);
        }
    }

    private static vn.vss.ivr.adapter.postgres.DatabaseSettings settings(ExternalPostgres postgres) {
        Map<String, String> env = new HashMap<>(postgres.settings());
        env.put("IVR_DB_CONNECT_TIMEOUT", "500ms");
        env.put("IVR_DB_QUERY_TIMEOUT", "1s");
        env.put("IVR_DB_POOL_SIZE", "2");
        return IvrConfig.from(env).database();
    }
}
