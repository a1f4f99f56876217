package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import vn.vss.ivr.support.StandbyPostgres;

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

    @Test
    void givenEventsTheDatabaseAlreadyHolds_whenTheSpoolIsReplayedAgain_thenNoCallRowOrChargeLineIsAddedTwice()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-spool-");
        Path spoolFile = directory.resolve("call-events.log");
        Path copy = directory.resolve("copy-of-the-spool.log");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"));
                Database database = Database.start(settings(postgres), new SimpleMeterRegistry())) {
            JooqCallRecords records = new JooqCallRecords(database.dsl(), "spool-test");
            JooqChargeLedger ledger = new JooqChargeLedger(database.dsl());
            SpooledCallStore spool = new SpooledCallStore(records, ledger, spoolFile);
            CallRef call = CallRef.next();

            postgres.stop();
            spool.open(
                    call, new CallStart("1700000002.9", PHONE, Optional.of(new PhoneNumber(PHONE)), Language.VI, T0));
            spool.answered(call, T0);
            spool.chargeMinute(call, 1, 1_000, T0);
            spool.chargeMinute(call, 2, 1_000, T0.plusSeconds(60));
            spool.close(
                    call, new CallSummary(CallOutcome.PASSWORD_HEARD, InputMethod.KEYPAD, 1, T0.plusSeconds(61), 2));
            assertThat(spool.pending()).isEqualTo(5);
            Files.copy(spoolFile, copy);

            postgres.start();
            replayUntilEmpty(spool);
            var dsl = postgres.dsl();
            var applied = dsl.selectFrom(CALL).where(CALL.ID.eq(call.id())).fetchOne();

            // The spool as it was before the replay: what a crash between the database's commit and
            // cutting the spool leaves, and what a write whose reply was lost leaves (it is spooled
            // although the database took it). A new start replays all of it again.
            Files.copy(copy, spoolFile, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(directory.resolve("call-events.log.applied"));
            SpooledCallStore afterACrash = new SpooledCallStore(records, ledger, spoolFile);
            assertThat(afterACrash.pending()).isEqualTo(5);
            assertThat(afterACrash.replay()).isEqualTo(5);
            assertThat(afterACrash.replay()).isZero();

            assertThat(dsl.fetchCount(CALL)).isEqualTo(1);
            assertThat(dsl.fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(call.id())))
                    .isEqualTo(2);
            var replayedTwice =
                    dsl.selectFrom(CALL).where(CALL.ID.eq(call.id())).fetchOne();
            assertThat(replayedTwice.getBilledMinutes()).isEqualTo(2);
            assertThat(replayedTwice.getChargedVnd()).isEqualTo(2_000L);
            assertThat(replayedTwice.getOutcome()).isEqualTo("password_heard");
            assertThat(replayedTwice.intoMap()).isEqualTo(applied.intoMap());
            assertThat(afterACrash.rejected()).isZero();
        }
    }

    @Test
    void givenTheDatabaseWasAwayLongEnoughForThePoolToBackOff_thenTheFirstReplayOnceItAnswersAppliesEverything()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-spool-");
        Map<String, String> env = new HashMap<>();
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"))) {
            env.putAll(postgres.settings());
            env.put("IVR_DB_POOL_SIZE", "2");
            env.put("IVR_DB_CONNECT_TIMEOUT", "500ms");
            try (Database database = Database.start(IvrConfig.from(env).database(), new SimpleMeterRegistry())) {
                SpooledCallStore spool = new SpooledCallStore(
                        new JooqCallRecords(database.dsl(), "spool-test"),
                        new JooqChargeLedger(database.dsl()),
                        directory.resolve("call-events.log"));
                CallRef call = CallRef.next();

                postgres.stop();
                spool.open(call, new CallStart("1700000004.2", "", Optional.empty(), Language.VI, T0));
                spool.chargeMinute(call, 1, 1_000, T0);
                // Away for 8 s, with the housekeeping's replay trying every 2 s: HikariCP's own
                // retries are 5 s apart by then.
                for (int i = 0; i < 4; i++) {
                    assertThat(spool.replay()).isZero();
                    Thread.sleep(2_000);
                }

                postgres.start();
                // A second for the app to notice (it looks every 250 ms); HikariCP alone would try
                // again only when its 5-second pause ends.
                Thread.sleep(1_000);
                assertThat(spool.replay())
                        .as("events applied by the first replay")
                        .isEqualTo(2);
                assertThat(postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(call.id())))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void givenTheDatabaseIsAReadOnlyStandby_thenEventsWaitInTheSpoolUntilItIsPromotedAndNothingIsSetAside()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-spool-");
        try (ExternalPostgres primary = new ExternalPostgres(directory.resolve("db1"))) {
            try (Database schema = Database.start(settings(primary), new SimpleMeterRegistry())) {
                assertThat(schema.answers()).isTrue();
            }
            try (ExternalPostgres standby = StandbyPostgres.of(primary, directory.resolve("db2"));
                    Database database = Database.start(settings(standby), new SimpleMeterRegistry())) {
                SpooledCallStore spool = new SpooledCallStore(
                        new JooqCallRecords(database.dsl(), "spool-test"),
                        new JooqChargeLedger(database.dsl()),
                        directory.resolve("call-events.log"));
                CallRef call = CallRef.next();

                // The address still leads to a standby (the old primary, or a replica): it refuses writes.
                spool.open(call, new CallStart("1700000003.1", "", Optional.empty(), Language.VI, T0));
                spool.chargeMinute(call, 1, 1_000, T0);
                assertThat(spool.pending()).isEqualTo(2);
                assertThat(spool.replay()).isZero();
                assertThat(spool.rejected())
                        .as("a read-only server refuses nothing for good")
                        .isZero();

                primary.stop();
                StandbyPostgres.promote(standby);
                replayUntilEmpty(spool);
                assertThat(standby.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(call.id())))
                        .isEqualTo(1);
                assertThat(spool.rejected()).isZero();
            }
        }
    }

    /**
     * As the hotline's housekeeping does, every 100 ms here: the pool reconnects after its own
     * back-off, which grows while the database is away.
     */
    private static void replayUntilEmpty(SpooledCallStore spool) throws InterruptedException {
        for (int i = 0; i < 150 && spool.pending() > 0; i++) {
            spool.replay();
            Thread.sleep(100);
        }
        assertThat(spool.pending()).as("spool replayed").isZero();
    }

    private static vn.vss.ivr.adapter.postgres.DatabaseSettings settings(ExternalPostgres postgres) {
        Map<String, String> env = new HashMap<>(postgres.settings());
        env.put("IVR_DB_CONNECT_TIMEOUT", "500ms");
        env.put("IVR_DB_QUERY_TIMEOUT", "1s");
        env.put("IVR_DB_POOL_SIZE", "2");
        return IvrConfig.from(env).database();
    }
}
