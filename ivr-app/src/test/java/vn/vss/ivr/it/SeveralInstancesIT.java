package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALLER_BLOCK;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.INSTANCE_LEASE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.InstanceIdInUseException;
import vn.vss.ivr.support.ChildApp;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Several app instances on one PostgreSQL, each call through the real FastAGI server of one of them:
 * the rules hold whichever instance a call reaches, a draining instance lets its call finish while
 * another serves new ones, and an instance that dies without closing is taken over by exactly one
 * of the others once its lease has expired.
 */
class SeveralInstancesIT {
    /** The in-process instances renew, and look for expired ones, every third of this. */
    private static final Duration WATCHERS_LEASE = Duration.ofSeconds(1);

    private static ExternalPostgres postgres;
    private static Path directory;
    private static TestHotline first;
    private static TestHotline second;

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("ivr-instances-");
        postgres = new ExternalPostgres(directory.resolve("pg"));
        first = TestHotline.start(settings("pair-a"), TestHotline.instanceLease(WATCHERS_LEASE));
        second = TestHotline.start(settings("pair-b"), TestHotline.instanceLease(WATCHERS_LEASE));
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        postgres.close();
    }

    @Test
    void givenTwoSimultaneousCallsForOneCodeOnTwoInstances_thenExactlyOneResetIsCommitted() throws Exception {
        Subscriber subscriber = first.freshSubscriber();
        CountDownLatch start = new CountDownLatch(1);
        // In real time, so that the call that verifies first is still on the line when the other verifies.
        List<CompletableFuture<CallTranscript>> calls = List.of(
                CompletableFuture.supplyAsync(() -> callAfter(start, first, subscriber)),
                CompletableFuture.supplyAsync(() -> callAfter(start, second, subscriber)));
        start.countDown();
        List<CallTranscript> transcripts =
                calls.stream().map(CompletableFuture::join).toList();
        transcripts.forEach(t -> HeardPasswords.remember(t.digitsAfter("password-intro", 1)));

        assertThat(transcripts)
                .filteredOn(t -> t.promptNames().contains("password-intro"))
                .hasSize(1);
        assertThat(transcripts)
                .filteredOn(t -> t.promptNames().contains("mismatch"))
                .hasSize(1);
        List<CallRecord> records = closedCallsFrom(subscriber.phone(), 2);
        assertThat(records).extracting(CallRecord::getInstanceId).containsExactlyInAnyOrder("pair-a", "pair-b");
        assertThat(records)
                .extracting(CallRecord::getOutcome)
                .containsExactlyInAnyOrder("password_heard", "not_verified");
        assertThat(records).allSatisfy(r -> assertThat(r.getBilledMinutes()).isEqualTo(1));
        assertThat(postgres.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                .as("resets committed")
                .isEqualTo(1);
        assertThat(first.passwordHash(subscriber.code())).isNotNull();
        assertThat(reservedBy(subscriber.code())).as("released at the end").isNull();
    }

    @Test
    void givenResetsAlternatingBetweenInstances_thenTheFourthOfTheDayGetsTheUniformAnswer() throws Exception {
        Subscriber subscriber = first.freshSubscriber();
        CallerScript own = CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#");
        for (int i = 0; i < 3; i++) {
            CallTranscript call = alternate(i).call(own);
            assertThat(call.promptNames()).as("reset %d", i + 1).contains("password-intro");
            HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        }
        String hashAfterThird = first.passwordHash(subscriber.code());

        CallTranscript fourth = alternate(3).call(own);

        assertThat(fourth.promptNames()).contains("mismatch").doesNotContain("password-intro");
        assertThat(first.passwordHash(subscriber.code())).isEqualTo(hashAfterThird);
        assertThat(postgres.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                .isEqualTo(3);
        List<CallRecord> records = closedCallsFrom(subscriber.phone(), 4);
        assertThat(records)
                .extracting(CallRecord::getOutcome)
                .containsExactly("password_heard", "password_heard", "password_heard", "not_verified");
        assertThat(records)
                .extracting(CallRecord::getInstanceId)
                .containsExactly("pair-a", "pair-b", "pair-a", "pair-b");
    }

    @Test
    void givenFiveFailuresFromOneCallerIdOnAlternatingInstances_thenItGetsNoMoreLookupsOnEither() throws Exception {
        Subscriber own = first.freshSubscriber();
        for (int i = 0; i < 5; i++) {
            String someoneElsesCode = first.freshSubscriber().code();
            assertThat(alternate(i)
                            .call(CallerScript.from(own.phone()).keys(someoneElsesCode + "#"))
                            .promptNames())
                    .contains("mismatch");
        }
        String callerKey = PhoneNumber.fromCallerId(own.phone()).orElseThrow().e164();
        assertThat(postgres.dsl().fetchCount(CALLER_BLOCK, CALLER_BLOCK.CALLER_KEY.eq(callerKey)))
                .as("blocked after the fifth failure")
                .isEqualTo(1);

        // The caller's own code, rightly, on each instance: no lookup is made on either.
        for (TestHotline instance : List.of(first, second)) {
            CallTranscript call = instance.call(CallerScript.from(own.phone()).keys(own.code() + "#"));
            assertThat(call.promptNames()).contains("mismatch").doesNotContain("password-intro");
        }

        assertThat(postgres.dsl().fetchCount(VERIFICATION_FAILURE, VERIFICATION_FAILURE.CALLER_KEY.eq(callerKey)))
                .as("lookups that failed, the blocked calls not counted")
                .isEqualTo(5);
        assertThat(first.passwordHash(own.code())).isNull();
        assertThat(closedCallsFrom(own.phone(), 7))
                .extracting(CallRecord::getOutcome)
                .containsOnly("not_verified");
    }

    @Test
    void givenTenFailuresOnACodeFromNumbersAlternatingBetweenInstances_thenTheCodeIsLockedOnBoth() throws Exception {
        Subscriber subscriber = first.freshSubscriber();
        for (int i = 0; i < 9; i++) {
            alternate(i).call(CallerScript.from(first.freshStranger()).keys(subscriber.code() + "#"));
        }
        assertThat(codeRow(subscriber.code()).value1())
                .as("failures in a row, counted by both instances")
                .isEqualTo(9);
        assertThat(codeRow(subscriber.code()).value2()).as("not locked yet").isNull();

        alternate(9).call(CallerScript.from(first.freshStranger()).keys(subscriber.code() + "#"));

        assertThat(codeRow(subscriber.code()).value2())
                .as("locked for an hour by the tenth")
                .isAfter(OffsetDateTime.now().plusMinutes(59));
        for (TestHotline instance : List.of(first, second)) {
            CallTranscript own =
                    instance.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
            assertThat(own.promptNames()).contains("mismatch").doesNotContain("password-intro");
        }
        assertThat(first.passwordHash(subscriber.code())).isNull();
        assertThat(postgres.dsl().fetchCount(RESET_EVENT, RESET_EVENT.BHXH_CODE.eq(subscriber.code())))
                .isZero();
        assertThat(closedCallsFrom(subscriber.phone(), 2))
                .extracting(CallRecord::getOutcome)
                .containsOnly("not_verified");
    }

    @Test
    void givenAnInstanceIdWhoseLeaseIsLive_thenASecondProcessWithItIsRefusedNamingTheSetting() {
        int callsBefore = postgres.dsl().fetchCount(CALL);

        assertThatThrownBy(() -> TestHotline.start(settings("pair-a")))
                .hasRootCauseInstanceOf(InstanceIdInUseException.class)
                .rootCause()
                .hasMessageStartingWith("IVR_INSTANCE_ID=pair-a: another running process holds this instance id")
                .hasMessageNotContaining("\n");

        // The instance that holds the id goes on serving, its lease unchanged.
        Subscriber subscriber = first.freshSubscriber();
        CallTranscript call = first.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        assertThat(call.promptNames()).contains("password-intro");
        HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        assertThat(postgres.dsl().fetchCount(CALL)).isEqualTo(callsBefore + 1);
        assertThat(postgres.dsl().fetchCount(INSTANCE_LEASE, INSTANCE_LEASE.INSTANCE_ID.eq("pair-a")))
                .isEqualTo(1);
    }

    @Test
    void givenTheLeaseRowOfALiveInstanceGone_thenItSaysSoAndHoldsItsLeaseAgain() throws Exception {
        // As when the database could not be reached from this instance for a whole lease and another
        // instance took it over meanwhile.
        String line = "the lease of IVR_INSTANCE_ID=pair-b had expired";
        long before =
                second.logs().lines().stream().filter(l -> l.contains(line)).count();
        assertThat(postgres.dsl()
                        .deleteFrom(INSTANCE_LEASE)
                        .where(INSTANCE_LEASE.INSTANCE_ID.eq("pair-b"))
                        .execute())
                .isEqualTo(1);

        for (int i = 0; i < 100 && leaseRows("pair-b") == 0; i++) {
            Thread.sleep(50);
        }

        assertThat(leaseRows("pair-b")).as("the lease held again").isEqualTo(1);
        Thread.sleep(WATCHERS_LEASE.toMillis());
        assertThat(second.logs().lines())
                .filteredOn(l -> l.contains(line))
                .hasSize((int) before + 1)
                .last()
                .asString()
                .startsWith("ERROR");
        assertThat(postgres.dsl()
                        .fetchCount(
                                INSTANCE_LEASE,
                                INSTANCE_LEASE
                                        .INSTANCE_ID
                                        .eq("pair-b")
                                        .and(INSTANCE_LEASE.EXPIRES_AT.gt(OffsetDateTime.now()))))
                .as("and renewed since")
                .isEqualTo(1);
    }

    @Test
    void givenACallInProgressOnADrainingInstance_thenItFinishesAndIsBilled_whileTheOtherServesNewCalls()
            throws Exception {
        TestHotline draining = TestHotline.start(settings("drain-a"));
        TestHotline other = TestHotline.start(settings("drain-b"));
        try {
            Subscriber inProgress = draining.freshSubscriber();
            int agiPort = draining.hotline().agiPort();
            CompletableFuture<CallTranscript> call = CompletableFuture.supplyAsync(() -> place(
                    inRealTime(draining, 0.5),
                    CallerScript.from(inProgress.phone()).keys(inProgress.code() + "#")));
            GracefulDrainIT.awaitAnswered(postgres.dsl(), inProgress.phone());

            CompletableFuture<Boolean> drained =
                    CompletableFuture.supplyAsync(() -> draining.hotline().drain(Duration.ofSeconds(120)));
            GracefulDrainIT.awaitRefused(agiPort);

            // Asterisk's next address: the other instance serves a new call meanwhile.
            Subscriber newCaller = other.freshSubscriber();
            CallTranscript served =
                    other.call(CallerScript.from(newCaller.phone()).keys(newCaller.code() + "#"));
            assertThat(served.promptNames()).contains("password-intro");
            HeardPasswords.remember(served.digitsAfter("password-intro", 1));
            assertThat(call)
                    .as("the drained instance's call is still in progress")
                    .isNotDone();

            assertThat(drained.get(120, TimeUnit.SECONDS))
                    .as("the call ended on its own")
                    .isTrue();
            CallTranscript finished = call.get(10, TimeUnit.SECONDS);
            HeardPasswords.remember(finished.digitsAfter("password-intro", 1));
            assertThat(finished.promptNames()).contains("password-intro").doesNotContain("restarting");

            CallRecord drainedRecord = closedCallsFrom(inProgress.phone(), 1).get(0);
            assertThat(drainedRecord.getInstanceId()).isEqualTo("drain-a");
            assertThat(drainedRecord.getOutcome()).isEqualTo("password_heard");
            assertThat(drainedRecord.getBilledMinutes()).isEqualTo(1);
            assertThat(drainedRecord.getChargedVnd()).isEqualTo(1_000L);
            assertThat(postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(drainedRecord.getId())))
                    .isEqualTo(1);
            assertThat(draining.passwordHash(inProgress.code())).isNotNull();
            CallRecord servedRecord = closedCallsFrom(newCaller.phone(), 1).get(0);
            assertThat(servedRecord.getInstanceId()).isEqualTo("drain-b");
            assertThat(servedRecord.getOutcome()).isEqualTo("password_heard");
            assertThat(servedRecord.getBilledMinutes()).isEqualTo(1);
        } finally {
            other.close();
            draining.close();
        }
        assertThat(postgres.dsl().fetchCount(INSTANCE_LEASE, INSTANCE_LEASE.INSTANCE_ID.in("drain-a", "drain-b")))
                .as("leases given up at a clean stop: nothing to take over")
                .isZero();
    }

    @Test
    void givenAnInstanceKilledMidCall_thenExactlyOneOtherInstanceClosesItsCallAndReleasesItsCode_afterTheLease()
            throws Exception {
        TestHotline left = TestHotline.start(settings("survivor-1"), TestHotline.instanceLease(WATCHERS_LEASE));
        TestHotline right = TestHotline.start(settings("survivor-2"), TestHotline.instanceLease(WATCHERS_LEASE));
        int takeoverLinesBefore = takeoverLines("doomed");
        double takeoversBefore = takeovers(first) + takeovers(second);
        Process doomed = null;
        try {
            int agiPort = ExternalPostgres.freePort();
            int httpPort = ExternalPostgres.freePort();
            doomed = ChildApp.start(childSettings("doomed", agiPort, httpPort), directory.resolve("doomed.log"));
            ChildApp.awaitReady(httpPort);
            Subscriber subscriber = left.freshSubscriber();
            FakeAsterisk asterisk = new FakeAsterisk(
                            "127.0.0.1", agiPort, FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                    .inRealTime(1.0);
            CompletableFuture<?> call = CompletableFuture.runAsync(() -> {
                try {
                    asterisk.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
                } catch (IOException expected) {
                    // the instance dies under the call
                }
            });
            awaitReserved(subscriber.code());

            doomed.destroyForcibly(); // SIGKILL: nothing is closed, the lease is no longer renewed
            assertThat(doomed.waitFor(20, TimeUnit.SECONDS)).isTrue();
            call.get(30, TimeUnit.SECONDS);
            CallRecord open = callFrom(subscriber.phone());
            assertThat(open.getInstanceId()).isEqualTo("doomed");
            assertThat(open.getEndedAt()).as("open while the lease lasts").isNull();
            assertThat(reservedBy(subscriber.code())).isEqualTo(open.getId());

            CallRecord closed = awaitClosed(subscriber.phone(), Duration.ofSeconds(30));
            // A few more turns of both survivors: nobody takes it over a second time.
            Thread.sleep(WATCHERS_LEASE.multipliedBy(3).toMillis());

            assertThat(closed.getOutcome()).isEqualTo("interrupted");
            assertThat(closed.getEndedAt()).isAfterOrEqualTo(closed.getAnsweredAt());
            assertThat(closed.getBilledMinutes()).isEqualTo(1);
            assertThat(closed.getChargedVnd()).isEqualTo(1_000L);
            assertThat(postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(closed.getId())))
                    .as("the call's charge, once")
                    .isEqualTo(1);
            assertThat(reservedBy(subscriber.code())).as("code released").isNull();
            assertThat(left.passwordHash(subscriber.code()))
                    .as("the caller never heard a password in full")
                    .isNull();
            assertThat(postgres.dsl().fetchCount(INSTANCE_LEASE, INSTANCE_LEASE.INSTANCE_ID.eq("doomed")))
                    .isZero();
            // The pair of the other tests watches as often: one takeover among all four live instances.
            assertThat(takeovers(left) + takeovers(right) + takeovers(first) + takeovers(second) - takeoversBefore)
                    .as("takeovers by every live instance together")
                    .isEqualTo(1.0);
            assertThat(takeoverLines("doomed") - takeoverLinesBefore).isEqualTo(1);
            assertThat(left.logs().all())
                    .contains("took over instance doomed, whose lease expired: 1 open call(s) closed as interrupted,"
                            + " 1 code(s) released");

            // The citizen calls back at once and is served, on either survivor.
            CallTranscript again =
                    right.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
            assertThat(again.promptNames()).contains("password-intro");
            HeardPasswords.remember(again.digitsAfter("password-intro", 1));
        } finally {
            if (doomed != null) {
                doomed.destroyForcibly();
                doomed.waitFor(20, TimeUnit.SECONDS);
            }
            right.close();
            left.close();
        }
    }

    @Test
    void givenTheDatabaseFrozenLongerThanEveryLease_thenNoLiveInstanceTakesAnotherOverWhenItIsBack() throws Exception {
        double takeoversBefore = takeovers(first) + takeovers(second);
        postgres.freeze();
        try {
            // Every lease expires meanwhile: no renewal reaches the database.
            Thread.sleep(WATCHERS_LEASE.multipliedBy(4).toMillis());
        } finally {
            postgres.thaw();
        }
        // Both renew again within a third of the lease; they watch for another three leases.
        Thread.sleep(WATCHERS_LEASE.multipliedBy(4).toMillis());

        assertThat(takeovers(first) + takeovers(second) - takeoversBefore)
                .as("takeovers of a live instance after the database came back")
                .isZero();
        assertThat(leaseRows("pair-a")).isEqualTo(1);
        assertThat(leaseRows("pair-b")).isEqualTo(1);
        Subscriber subscriber = first.freshSubscriber();
        CallTranscript served =
                second.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        assertThat(served.promptNames()).as("both serve again").contains("password-intro");
        HeardPasswords.remember(served.digitsAfter("password-intro", 1));
    }

    private static Map<String, String> settings(String instance) {
        Map<String, String> env = new HashMap<>(postgres.settings());
        env.put("IVR_INSTANCE_ID", instance);
        return env;
    }

    /** The shortest lease the settings allow, for an app in a JVM of its own. */
    private static Map<String, String> childSettings(String instance, int agiPort, int httpPort) {
        Map<String, String> env = settings(instance);
        env.put("IVR_INSTANCE_LEASE", "3s");
        env.put("IVR_DB_QUERY_TIMEOUT", "1s");
        env.put("IVR_AGI_PORT", Integer.toString(agiPort));
        env.put("IVR_HTTP_PORT", Integer.toString(httpPort));
        env.put("IVR_ENGLISH_VOICE", "false");
        env.put("IVR_SPEECH_RECOGNITION", "false");
        env.put("IVR_SOUNDS_DIR", directory.resolve(instance + "-sounds").toString());
        env.put("IVR_SPOOL_FILE", directory.resolve(instance + "-spool.log").toString());
        env.put(
                "IVR_RECORDINGS_DIR",
                directory.resolve(instance + "-recordings").toString());
        return env;
    }

    private static int leaseRows(String instance) {
        return postgres.dsl().fetchCount(INSTANCE_LEASE, INSTANCE_LEASE.INSTANCE_ID.eq(instance));
    }

    private static TestHotline alternate(int i) {
        return i % 2 == 0 ? first : second;
    }

    private static FakeAsterisk inRealTime(TestHotline instance, double speed) {
        return new FakeAsterisk(
                        "127.0.0.1", instance.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(speed);
    }

    private static CallTranscript callAfter(CountDownLatch start, TestHotline instance, Subscriber subscriber) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return place(
                inRealTime(instance, 0.5), CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
    }

    private static CallTranscript place(FakeAsterisk asterisk, CallerScript script) {
        try {
            return asterisk.call(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls from this number, oldest first, once {@code count} of them are closed (records close just after the hang-up). */
    private static List<CallRecord> closedCallsFrom(String phone, int count) throws InterruptedException {
        DSLContext dsl = postgres.dsl();
        for (int i = 0; i < 100; i++) {
            if (dsl.fetchCount(CALL, CALL.CALLER_ID_RECEIVED.eq(phone).and(CALL.OUTCOME.isNotNull())) >= count) {
                break;
            }
            Thread.sleep(50);
        }
        List<CallRecord> records = dsl.selectFrom(CALL)
                .where(CALL.CALLER_ID_RECEIVED.eq(phone))
                .orderBy(CALL.STARTED_AT)
                .fetch();
        assertThat(records).hasSize(count).allSatisfy(r -> assertThat(r.getOutcome())
                .isNotNull());
        return records;
    }

    private static CallRecord callFrom(String phone) {
        return postgres.dsl()
                .selectFrom(CALL)
                .where(CALL.CALLER_ID_RECEIVED.eq(phone))
                .fetchOne();
    }

    private static CallRecord awaitClosed(String phone, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            CallRecord record = callFrom(phone);
            if (record.getEndedAt() != null) {
                return record;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the dead instance's call was not closed");
    }

    /** A code's failures in a row and the end of its lock. */
    private static Record2<Integer, OffsetDateTime> codeRow(String code) {
        return postgres.dsl()
                .select(SUBSCRIBER.CONSECUTIVE_FAILURES, SUBSCRIBER.LOCKED_UNTIL)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne();
    }

    private static UUID reservedBy(String code) {
        return postgres.dsl()
                .select(SUBSCRIBER.RESERVED_BY_CALL)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne(SUBSCRIBER.RESERVED_BY_CALL);
    }

    /** Until a call has verified this code and holds it (it is hearing its new password). */
    private static void awaitReserved(String code) throws InterruptedException {
        for (int i = 0; i < 1_200 && reservedBy(code) == null; i++) {
            Thread.sleep(25);
        }
        assertThat(reservedBy(code)).as("code reserved by the call").isNotNull();
    }

    private static double takeovers(TestHotline instance) {
        var counter =
                instance.hotline().registry().find("ivr.instance.takeovers").counter();
        return counter == null ? 0 : counter.count();
    }

    private static int takeoverLines(String instance) {
        return (int) first.logs().lines().stream()
                .filter(line -> line.contains("took over instance " + instance + ","))
                .count();
    }
}
