package vn.vss.ivr.adapter.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;
import vn.vss.ivr.call.ChargeLedger;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.RecordRefusedException;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.support.LogCapture;

class SpooledCallStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final String PHONE = "+84981234567";

    @TempDir
    Path directory;

    private final Database database = new Database();

    @Test
    void givenAReplayWaitingOnTheDatabase_thenCallThreadsSpoolAtOnceAndTheirEventsFollowTheBacklog() throws Exception {
        SpooledCallStore store = store(SpooledCallStore.BATCH);
        CallRef call = CallRef.next();
        database.down();
        store.open(call, start());
        store.chargeMinute(call, 1, 1_000, T0);

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        database.onEvent(event -> {
            if (event.startsWith("open")) {
                inside.countDown();
                await(release);
            }
            return null;
        });
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(store::replay);
        try {
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

            // The replay is inside a database statement: a call thread must not wait for it.
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> store.chargeMinute(call, 2, 1_000, T0));
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(2), store::pending))
                    .isEqualTo(3);
        } finally {
            release.countDown();
        }

        assertThat(replay.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(database.applied())
                .containsExactly("open " + call, "charge " + call + " 1", "charge " + call + " 2");
        assertThat(store.pending()).isZero();
        assertThat(Files.size(spool())).isZero();
    }

    @Test
    void givenABacklogLongerThanABatch_thenEachBatchIsCutOffTheSpoolAsSoonAsItIsApplied() throws Exception {
        SpooledCallStore store = store(10);
        CallRef call = CallRef.next();
        database.down();
        for (int minute = 1; minute <= 25; minute++) {
            store.chargeMinute(call, minute, 1_000, T0);
        }
        List<Long> pendingSeen = new CopyOnWriteArrayList<>();
        database.onEvent(event -> {
            pendingSeen.add(store.pending());
            return null;
        });

        assertThat(store.replay()).isEqualTo(25);

        assertThat(pendingSeen.get(0)).isEqualTo(25);
        assertThat(pendingSeen.get(10)).isEqualTo(15);
        assertThat(pendingSeen.get(20)).isEqualTo(5);
        assertThat(database.applied()).hasSize(25).first().isEqualTo("charge " + call + " 1");
        assertThat(database.applied()).last().isEqualTo("charge " + call + " 25");
        assertThat(store.pending()).isZero();
    }

    @Test
    void givenTheDatabaseGoesAwayDuringReplay_thenTheRestWaitsInOrderAndARestartResumesWhereItStopped()
            throws Exception {
        SpooledCallStore store = store(2);
        CallRef call = CallRef.next();
        database.down();
        store.open(call, start());
        store.answered(call, T0);
        store.chargeMinute(call, 1, 1_000, T0);
        store.close(call, summary());
        database.onEvent(event -> event.startsWith("charge") ? unavailable() : null);

        assertThat(store.replay()).isEqualTo(2);
        assertThat(store.pending()).isEqualTo(2);
        assertThat(store.rejected()).isZero();
        assertThat(Files.exists(rejectedFile())).isFalse();

        database.onEvent(event -> null);
        SpooledCallStore afterRestart = store(2);
        assertThat(afterRestart.pending()).isEqualTo(2);
        assertThat(afterRestart.replay()).isEqualTo(2);
        assertThat(database.applied())
                .containsExactly("open " + call, "answered " + call, "charge " + call + " 1", "close " + call);
    }

    @Test
    void givenAnEventTheDatabaseRefuses_thenItIsSetAsideWithoutItsContentAndTheEventsAfterItAreApplied()
            throws Exception {
        LogCapture logs = LogCapture.install();
        SpooledCallStore store = store(SpooledCallStore.BATCH);
        CallRef call = CallRef.next();
        CallRef unknown = CallRef.next();
        database.down();
        store.open(call, start());
        store.chargeMinute(unknown, 1, 1_000, T0);
        store.chargeMinute(call, 1, 1_000, T0);
        store.close(call, summary());
        database.onEvent(event -> event.contains(unknown.id().toString())
                ? new RecordRefusedException("a charge line could not be written", "23503", null)
                : null);

        assertThat(store.replay()).isEqualTo(4);

        assertThat(database.applied()).containsExactly("open " + call, "charge " + call + " 1", "close " + call);
        assertThat(store.pending()).isZero();
        assertThat(store.rejected()).isEqualTo(1);
        assertThat(Files.readAllLines(rejectedFile()))
                .singleElement()
                .asString()
                .startsWith("charge\t" + unknown.id() + "\t1\t");
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                .startsWith("WARN")
                .contains("'charge'")
                .contains("SQLSTATE 23503")
                .contains("rejected"));
        assertThat(logs.all()).doesNotContain(PHONE).doesNotContain(unknown.id().toString());
    }

    @Test
    void givenTheDatabaseRefusesAnEventWrittenLive_thenItIsSetAsideAndNothingIsSpooled() throws Exception {
        SpooledCallStore store = store(SpooledCallStore.BATCH);
        CallRef call = CallRef.next();
        database.onEvent(event -> event.startsWith("answered")
                ? new RecordRefusedException("the call record could not be updated", "22008", null)
                : null);

        store.open(call, start());
        store.answered(call, T0);
        store.chargeMinute(call, 1, 1_000, T0);

        assertThat(store.pending()).isZero();
        assertThat(store.rejected()).isEqualTo(1);
        assertThat(database.applied()).containsExactly("open " + call, "charge " + call + " 1");
        assertThat(Files.readAllLines(rejectedFile()))
                .singleElement()
                .asString()
                .startsWith("answered\t");
    }

    @Test
    void givenALastLineHalfWrittenByACrash_thenItIsIgnoredAndTheNextEventIsAppendedWhole() throws Exception {
        LogCapture logs = LogCapture.install();
        CallRef call = CallRef.next();
        String whole = "charge\t" + call.id() + "\t1\t1000\t" + T0.toEpochMilli() + "\n";
        // The crash came in the middle of the time stamp: what is left still reads as a number.
        String half = "charge\t" + call.id() + "\t2\t1000\t17726";
        Files.writeString(spool(), whole + half, StandardCharsets.UTF_8);
        int warningsBefore = partlyWrittenWarnings(logs);

        SpooledCallStore store = store(SpooledCallStore.BATCH);
        assertThat(store.pending()).isEqualTo(1);
        database.down();
        store.chargeMinute(call, 3, 1_000, T0.plusSeconds(120));
        database.onEvent(event -> null);

        assertThat(store.replay()).isEqualTo(2);
        assertThat(database.applied()).containsExactly("charge " + call + " 1", "charge " + call + " 3");
        assertThat(store.rejected()).isZero();
        assertThat(partlyWrittenWarnings(logs)).isEqualTo(warningsBefore + 1);
        assertThat(logs.all()).doesNotContain("17726");
    }

    private static int partlyWrittenWarnings(LogCapture logs) {
        return (int) logs.lines().stream()
                .filter(line -> line.startsWith("WARN") && line.contains("only partly written"))
                .count();
    }

    private SpooledCallStore store(int batchSize) throws IOException {
        return new SpooledCallStore(database, database, spool(), batchSize);
    }

    private Path spool() {
        return directory.resolve("call-events.log");
    }

    private Path rejectedFile() {
        return directory.resolve("call-events.log.rejected");
    }

    private static CallStart start() {
        return new CallStart("1700000000.1", PHONE, Optional.of(new PhoneNumber(PHONE)), Language.VI, T0);
    }

    private static CallSummary summary() {
        return new CallSummary(CallOutcome.PASSWORD_HEARD, InputMethod.KEYPAD, 1, T0.plusSeconds(70), 2);
    }

    private static RuntimeException unavailable() {
        return new ServiceUnavailableException("database down", null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Call records and charge lines that note what reached them, in order. Before each write, a hook
     * may wait, or name the exception the write fails with.
     */
    private static final class Database implements CallRecords, ChargeLedger {
        private final List<String> applied = new CopyOnWriteArrayList<>();
        private volatile Function<String, RuntimeException> hook = event -> null;

        void down() {
            hook = event -> unavailable();
        }

        void onEvent(Function<String, RuntimeException> hook) {
            this.hook = hook;
        }

        List<String> applied() {
            return applied;
        }

        private void take(String event) {
            RuntimeException failure = hook.apply(event);
            if (failure != null) {
                throw failure;
            }
            applied.add(event);
        }

        @Override
        public void open(CallRef call, CallStart start) {
            take("open " + call);
        }

        @Override
        public void answered(CallRef call, Instant answeredAt) {
            take("answered " + call);
        }

        @Override
        public void close(CallRef call, CallSummary summary) {
            take("close " + call);
        }

        @Override
        public void chargeMinute(CallRef call, int minute, long amountVnd, Instant minuteStartedAt) {
            take("charge " + call + " " + minute);
        }
    }
}
