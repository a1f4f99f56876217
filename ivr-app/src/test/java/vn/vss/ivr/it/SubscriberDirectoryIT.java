package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.JooqCallRecords;
import vn.vss.ivr.adapter.postgres.JooqSubscriberDirectory;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.RateLimitPolicy;
import vn.vss.ivr.call.Verdict;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * The subscriber directory and call records against the real schema, with the clock in the test's
 * hands: late call rows, crash recovery and the per-caller limit.
 */
class SubscriberDirectoryIT {
    private final TestHotline hotline = TestHotline.shared();
    private final JooqSubscriberDirectory directory =
            new JooqSubscriberDirectory(hotline.dsl(), RateLimitPolicy.defaults());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void givenACallWhoseRowIsStillInTheSpool_thenItsResetCommits() {
        Subscriber subscriber = hotline.freshSubscriber();
        CallRef spooledCall = CallRef.next(); // began during an outage: no call row yet

        Verdict verdict = verify(subscriber, subscriber.phone(), spooledCall, now);
        boolean committed = directory.commitReset(
                code(subscriber), spooledCall, "$argon2id$stub", now.plus(Duration.ofHours(24)), now);

        assertThat(verdict).isEqualTo(Verdict.MATCH);
        assertThat(committed).isTrue();
        assertThat(hotline.passwordHash(subscriber.code())).isEqualTo("$argon2id$stub");
        assertThat(hotline.dsl().fetchCount(RESET_EVENT, RESET_EVENT.CALL_ID.eq(spooledCall.id())))
                .isEqualTo(1);
    }

    @Test
    void givenACommittedReset_thenItCanBeFoundByItsCallAndOnlyThen() {
        Subscriber subscriber = hotline.freshSubscriber();
        CallRef call = CallRef.next();
        assertThat(verify(subscriber, subscriber.phone(), call, now)).isEqualTo(Verdict.MATCH);

        assertThat(directory.resetCommittedBy(call)).isFalse();
        directory.commitReset(code(subscriber), call, "$argon2id$stub", now.plus(Duration.ofHours(24)), now);

        assertThat(directory.resetCommittedBy(call)).isTrue();
        assertThat(directory.resetCommittedBy(CallRef.next())).isFalse();
    }

    @Test
    void givenCallsLeftOpenByACrash_thenRecoveryReleasesTheirReservationsAndNoOthers() {
        Subscriber interrupted = hotline.freshSubscriber();
        Subscriber elsewhere = hotline.freshSubscriber();
        JooqCallRecords crashed = new JooqCallRecords(hotline.dsl(), "crashed-" + UUID.randomUUID());
        JooqCallRecords running = new JooqCallRecords(hotline.dsl(), "running-" + UUID.randomUUID());
        CallRef cut = openCall(crashed, interrupted);
        CallRef live = openCall(running, elsewhere);
        assertThat(verify(interrupted, interrupted.phone(), cut, now)).isEqualTo(Verdict.MATCH);
        assertThat(verify(elsewhere, elsewhere.phone(), live, now)).isEqualTo(Verdict.MATCH);

        int closed = crashed.closeLeftOpen();

        assertThat(closed).isEqualTo(1);
        assertThat(reservedBy(interrupted)).isNull();
        assertThat(reservedBy(elsewhere)).isEqualTo(live.id());
        Verdict callBack = verify(interrupted, interrupted.phone(), CallRef.next(), now.plusSeconds(30));
        assertThat(callBack).isEqualTo(Verdict.MATCH);
    }

    @Test
    void givenTheFifthFailure_thenTheCallerIdGetsNoLookupForAFullHourFromIt() {
        Subscriber own = hotline.freshSubscriber();
        // Failures at 0, 50, 51, 52 and 53 minutes: the fifth blocks until 1 h 53 min.
        for (int minute : List.of(0, 50, 51, 52, 53)) {
            Verdict verdict = verify(hotline.freshSubscriber(), own.phone(), CallRef.next(), at(minute));
            assertThat(verdict).isEqualTo(Verdict.WRONG_NUMBER);
        }

        // At 61 minutes the first failure has left the hour, but the block stands.
        assertThat(verify(own, own.phone(), CallRef.next(), at(61))).isEqualTo(Verdict.CALLER_BLOCKED);
        assertThat(verify(own, own.phone(), CallRef.next(), at(112))).isEqualTo(Verdict.CALLER_BLOCKED);
        assertThat(verify(own, own.phone(), CallRef.next(), at(114))).isEqualTo(Verdict.MATCH);
    }

    @Test
    void givenSimultaneousVerificationsFromOneCallerId_thenAtMostFiveLookups() throws Exception {
        String caller = hotline.freshStranger();
        int attempts = 16;
        CyclicBarrier together = new CyclicBarrier(attempts);
        ExecutorService threads = Executors.newFixedThreadPool(attempts);
        List<Verdict> results;
        try {
            List<CompletableFuture<Verdict>> verdicts = IntStream.range(0, attempts)
                    .mapToObj(i -> hotline.freshSubscriber())
                    .map(someone -> CompletableFuture.supplyAsync(
                            () -> {
                                await(together);
                                return verify(someone, caller, CallRef.next(), now);
                            },
                            threads))
                    .toList();
            results = verdicts.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.shutdown();
        }

        assertThat(results).filteredOn(v -> v == Verdict.WRONG_NUMBER).hasSize(5);
        assertThat(results).filteredOn(v -> v == Verdict.CALLER_BLOCKED).hasSize(attempts - 5);
        assertThat(failuresRecordedFor(caller)).isEqualTo(5);
    }

    private Verdict verify(Subscriber subscriber, String callerId, CallRef call, Instant when) {
        return directory.verifyAndReserve(code(subscriber), PhoneNumber.fromCallerId(callerId), call, when);
    }

    private Instant at(int minute) {
        return now.plus(Duration.ofMinutes(minute));
    }

    private static BhxhCode code(Subscriber subscriber) {
        return new BhxhCode(subscriber.code());
    }

    private CallRef openCall(JooqCallRecords records, Subscriber from) {
        CallRef call = CallRef.next();
        records.open(
                call,
                new CallStart(
                        "crash." + call.id(),
                        from.phone(),
                        PhoneNumber.fromCallerId(from.phone()),
                        Language.VI,
                        now.minusSeconds(60)));
        return call;
    }

    private UUID reservedBy(Subscriber subscriber) {
        return hotline.dsl()
                .select(SUBSCRIBER.RESERVED_BY_CALL)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(subscriber.code()))
                .fetchOne(SUBSCRIBER.RESERVED_BY_CALL);
    }

    private int failuresRecordedFor(String callerId) {
        Optional<PhoneNumber> number = PhoneNumber.fromCallerId(callerId);
        return hotline.dsl()
                .fetchCount(
                        VERIFICATION_FAILURE,
                        VERIFICATION_FAILURE.CALLER_KEY.eq(number.orElseThrow().e164()));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
