package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Calls placed around a database outage that the test brings about (a restart, a failover), in four
 * groups of rightful callers and strangers calling at once: before it, answered before it and
 * verifying during it, arriving during it, and after the database is back. Then every call's
 * record, charges and reset are checked, once the spool is replayed.
 */
final class CallsAcrossAnOutage {
    /** The promise is 3 s; a loaded test machine gets this margin on top of it. */
    static final Duration UNAVAILABLE_PROMISE = Duration.ofMillis(3_500);
    /** Calls of each kind (code from its registered number, code from a stranger) in each group. */
    private static final int EACH_KIND = 3;

    /** What the test measured: the slowest "unavailable" in the gap, and how soon the hotline was back. */
    record Figures(int callsInTheGap, long slowestUnavailableMillis, long backToAnsweringMillis) {}

    /** Something the test does to the database. */
    interface DatabaseAction {
        void run() throws Exception;
    }

    /** One placed call: who called, what the hotline should have recorded, what the caller heard. */
    private record Placed(String callerId, String code, String outcome, CompletableFuture<CallTranscript> call) {
        CallTranscript transcript() {
            return call.join();
        }
    }

    /** Who calls in one group, made before the database goes away (the test writes them through it). */
    private record Callers(List<Subscriber> rightful, List<Subscriber> calledByStrangers, List<String> strangers) {
        static Callers fresh(TestHotline hotline) {
            List<Subscriber> rightful = new ArrayList<>();
            List<Subscriber> called = new ArrayList<>();
            List<String> strangers = new ArrayList<>();
            for (int i = 0; i < EACH_KIND; i++) {
                rightful.add(hotline.freshSubscriber());
                called.add(hotline.freshSubscriber());
                strangers.add(hotline.freshStranger());
            }
            return new Callers(rightful, called, strangers);
        }
    }

    private CallsAcrossAnOutage() {}

    /**
     * Runs the four groups around {@code goAway} and {@code comeBack} and checks what the callers
     * heard and what the hotline recorded. {@code database} is the server the test reads, asked
     * each time (after a failover, the new primary).
     */
    static Figures run(
            TestHotline hotline, Supplier<DSLContext> database, DatabaseAction goAway, DatabaseAction comeBack)
            throws Exception {
        ExecutorService callers = Executors.newCachedThreadPool();
        try {
            FakeAsterisk asterisk = new FakeAsterisk(
                    "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60));
            FakeAsterisk inRealTime = new FakeAsterisk(
                            "127.0.0.1",
                            hotline.hotline().agiPort(),
                            FakeAsterisk.sameDirectory(),
                            Duration.ofSeconds(60))
                    .inRealTime(0.25);
            Callers first = Callers.fresh(hotline);
            Callers answered = Callers.fresh(hotline);
            Callers arriving = Callers.fresh(hotline);
            Callers last = Callers.fresh(hotline);

            // Before: the pool holds connections that the outage is about to break.
            List<Placed> before = placeBoth(first, asterisk, callers, "password_heard", "not_verified");
            before.forEach(Placed::transcript);

            // Answered before the outage, verifying during it.
            List<Placed> inFlight =
                    placeBoth(answered, inRealTime, callers, "service_unavailable", "service_unavailable");
            awaitAnswered(database.get(), before.size() + inFlight.size());
            goAway.run();
            // Arriving during the outage.
            List<Placed> gap = placeBoth(arriving, asterisk, callers, "service_unavailable", "service_unavailable");
            inFlight.forEach(Placed::transcript);
            gap.forEach(Placed::transcript);
            assertThat(hotline.hotline().spool().pending()).as("events spooled").isPositive();

            comeBack.run();
            long back = System.nanoTime();
            awaitAnswering(hotline);
            long backToAnsweringMillis = (System.nanoTime() - back) / 1_000_000;

            // After: the same hotline, not restarted, verifies as usual.
            List<Placed> after = placeBoth(last, asterisk, callers, "password_heard", "not_verified");
            after.forEach(Placed::transcript);
            awaitEmptySpool(hotline);

            List<Placed> inTheGap = concat(inFlight, gap);
            for (Placed p : inTheGap) {
                assertThat(p.transcript().promptNames())
                        .as("what the caller from " + p.callerId() + " heard")
                        .contains("unavailable")
                        .doesNotContain("password-intro");
                assertThat(KeypadCallIT.verificationStep(p.transcript()))
                        .as("code to 'unavailable'")
                        .isLessThanOrEqualTo(UNAVAILABLE_PROMISE);
            }
            for (Placed p : concat(before, after)) {
                boolean matches = p.outcome().equals("password_heard");
                assertThat(p.transcript().promptNames()).contains(matches ? "password-intro" : "mismatch");
            }
            List<Placed> all = concat(concat(before, inTheGap), after);
            DSLContext dsl = database.get();
            assertEveryCallRecordedOnce(dsl, hotline, all);
            int billed =
                    all.stream().mapToInt(p -> p.transcript().billedMinutes()).sum();
            assertThat(dsl.fetchCount(CHARGE_LINE)).as("charge lines").isEqualTo(billed);

            // Replaying again (as after a crash in the middle of a replay) counts nothing twice.
            assertThat(hotline.hotline().spool().replay()).isZero();
            assertThat(dsl.fetchCount(CHARGE_LINE)).isEqualTo(billed);
            assertThat(dsl.fetchCount(CALL)).isEqualTo(all.size());

            return new Figures(
                    inTheGap.size(),
                    inTheGap.stream()
                            .mapToLong(p -> KeypadCallIT.verificationStep(p.transcript())
                                    .toMillis())
                            .max()
                            .orElse(0),
                    backToAnsweringMillis);
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * One call row per call with its outcome; as many charge lines as its billed minutes, which are
     * what the caller's call lasted; one reset for a call that read a password, none otherwise.
     */
    private static void assertEveryCallRecordedOnce(DSLContext dsl, TestHotline hotline, List<Placed> calls) {
        for (Placed p : calls) {
            List<CallRecord> rows = dsl.selectFrom(CALL)
                    .where(CALL.CALLER_ID_RECEIVED.eq(p.callerId()))
                    .fetch();
            assertThat(rows).as("call rows of the caller " + p.callerId()).hasSize(1);
            CallRecord row = rows.get(0);
            assertThat(row.getEndedAt()).isNotNull();
            assertThat(row.getOutcome()).as("outcome of " + p.callerId()).isEqualTo(p.outcome());
            int lines = dsl.fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(row.getId()));
            assertThat(lines)
                    .as("charge lines of " + p.callerId())
                    .isEqualTo(row.getBilledMinutes())
                    .isEqualTo(p.transcript().billedMinutes());
            assertThat(row.getChargedVnd()).isEqualTo(1_000L * lines);
            boolean reset = p.outcome().equals("password_heard");
            assertThat(dsl.fetchCount(RESET_EVENT, RESET_EVENT.CALL_ID.eq(row.getId())))
                    .as("resets by the call of " + p.callerId())
                    .isEqualTo(reset ? 1 : 0);
            assertThat(hotline.passwordHash(p.code()) != null)
                    .as("password of the code called by " + p.callerId() + " changed")
                    .isEqualTo(reset);
        }
    }

    private static List<Placed> placeBoth(
            Callers who,
            FakeAsterisk asterisk,
            ExecutorService callers,
            String rightfulOutcome,
            String strangerOutcome) {
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < EACH_KIND; i++) {
            Subscriber rightful = who.rightful().get(i);
            placed.add(place(asterisk, callers, rightful.phone(), rightful.code(), rightfulOutcome));
            placed.add(place(
                    asterisk,
                    callers,
                    who.strangers().get(i),
                    who.calledByStrangers().get(i).code(),
                    strangerOutcome));
        }
        return placed;
    }

    private static Placed place(
            FakeAsterisk asterisk, ExecutorService callers, String callerId, String code, String outcome) {
        CompletableFuture<CallTranscript> call = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return asterisk.call(CallerScript.from(callerId).keys(code + "#"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                callers);
        return new Placed(callerId, code, outcome, call);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static void awaitAnswered(DSLContext dsl, int calls) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (dsl.fetchCount(CALL, CALL.ANSWERED_AT.isNotNull()) >= calls) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("calls were not answered");
    }

    /** Until a statement through the hotline's own pool succeeds again (at most 30 s). */
    private static void awaitAnswering(TestHotline hotline) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (hotline.hotline().database().answers()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hotline never reached the database again");
    }

    private static void awaitEmptySpool(TestHotline hotline) throws InterruptedException {
        for (int i = 0; i < 300 && hotline.hotline().spool().pending() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(hotline.hotline().spool().pending()).as("spool replayed").isZero();
    }
}
