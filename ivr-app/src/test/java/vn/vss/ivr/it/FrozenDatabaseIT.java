package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * The database hangs: PostgreSQL's postmaster and backends are really frozen with SIGSTOP, so
 * connections stay open and nothing answers, then resumed with SIGCONT. Callers must still be
 * answered and hung up on time, hear "unavailable" within the promised 3 s, and a code's
 * reservation must not outlive its call by more than a minute.
 */
class FrozenDatabaseIT {
    /** The promise is 3 s; a loaded test machine gets no more than this margin on top of it. */
    private static final Duration UNAVAILABLE_PROMISE = Duration.ofSeconds(3);
    /** ANSWER and HANGUP wait for no database: the app's own step, with room for a busy machine. */
    private static final Duration PROMPT_STEP = Duration.ofMillis(1_000);

    private static ExternalPostgres postgres;
    private static TestHotline hotline;

    @BeforeAll
    static void start() throws IOException {
        Path directory = Files.createTempDirectory("ivr-frozen-");
        postgres = new ExternalPostgres(directory.resolve("pg"));
        Map<String, String> settings = new HashMap<>(postgres.settings());
        hotline = TestHotline.start(settings);
    }

    @AfterEach
    void thaw() throws InterruptedException {
        postgres.thaw();
        awaitEmptySpool();
    }

    @AfterAll
    static void stop() {
        postgres.thaw();
        hotline.close();
        postgres.close();
    }

    @Test
    void
            givenTheDatabaseFrozen_whenFiftyCallsArriveAtOnce_thenEachIsAnsweredAtOnceAndHearsUnavailableWithinThreeSeconds()
                    throws Exception {
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            subscribers.add(hotline.freshSubscriber());
        }
        FakeAsterisk asterisk = new FakeAsterisk(
                "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60));

        postgres.freeze();
        List<CallTranscript> calls;
        ExecutorService callers = Executors.newFixedThreadPool(subscribers.size());
        try {
            List<CompletableFuture<CallTranscript>> placed = new ArrayList<>();
            for (Subscriber s : subscribers) {
                placed.add(CompletableFuture.supplyAsync(
                        () -> place(asterisk, CallerScript.from(s.phone()).keys(s.code() + "#")), callers));
            }
            calls = placed.stream().map(CompletableFuture::join).toList();
        } finally {
            callers.shutdownNow();
        }
        postgres.thaw();
        awaitEmptySpool();

        System.out.printf(
                "frozen database, %d calls at once: code to 'unavailable' at most %d ms, goodbye to HANGUP at most %d ms%n",
                calls.size(),
                calls.stream()
                        .mapToLong(c -> KeypadCallIT.verificationStep(c).toMillis())
                        .max()
                        .orElse(0),
                calls.stream()
                        .mapToLong(c -> stepBeforeHangUp(c).toMillis())
                        .max()
                        .orElse(0));
        for (CallTranscript call : calls) {
            assertThat(call.promptNames()).contains("unavailable").doesNotContain("password-intro");
            assertThat(KeypadCallIT.verificationStep(call))
                    .as("code to 'unavailable'")
                    .isLessThanOrEqualTo(UNAVAILABLE_PROMISE);
            assertThat(stepBeforeHangUp(call)).as("goodbye to HANGUP").isLessThanOrEqualTo(PROMPT_STEP);
        }
        for (Subscriber s : subscribers) {
            CallRecord record = hotline.lastCallFrom(s.phone());
            assertThat(record).as("call record of " + s.phone()).isNotNull();
            assertThat(record.getOutcome()).isEqualTo("service_unavailable");
            assertThat(Duration.between(
                            record.getStartedAt().toInstant(),
                            record.getAnsweredAt().toInstant()))
                    .as("arrival to answer")
                    .isLessThanOrEqualTo(PROMPT_STEP);
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            assertThat(postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                    .isEqualTo(1);
            assertThat(hotline.passwordHash(s.code())).isNull();
            assertThat(reservation(s.code()).getReservedByCall()).isNull();
        }
    }

    @Test
    void
            givenTheDatabaseFreezesAfterVerification_thenTheCallerIsHungUpAtOnceAndTheReservationLapsesAMinuteAfterTheCall()
                    throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        FakeAsterisk asterisk = new FakeAsterisk(
                        "127.0.0.1", hotline.hotline().agiPort(), FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                .inRealTime(0.2);

        CompletableFuture<CallTranscript> placed = CompletableFuture.supplyAsync(
                () -> place(asterisk, CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#")));
        awaitReservation(subscriber.code());
        postgres.freeze(); // before the first password digit: the commit and the release both hang
        CallTranscript call = placed.join();
        // Frozen well past every time limit, so that the release at the call's end really fails.
        Thread.sleep(10_000);
        postgres.thaw();
        awaitEmptySpool();

        assertThat(call.promptNames()).contains("unavailable");
        assertThat(stepBeforeHangUp(call)).as("goodbye to HANGUP").isLessThanOrEqualTo(PROMPT_STEP);
        CallRecord record = hotline.lastCallFrom(subscriber.phone());
        assertThat(record.getOutcome()).isEqualTo("service_unavailable");
        assertThat(hotline.passwordHash(subscriber.code())).isNull();

        SubscriberRecord held = reservation(subscriber.code());
        assertThat(held.getReservedByCall()).as("the release failed").isEqualTo(record.getId());
        assertThat(held.getReservedUntil())
                .as("the reservation lapses at most a minute after the call ended")
                .isBeforeOrEqualTo(record.getEndedAt().plusMinutes(1));
    }

    private static CallTranscript place(FakeAsterisk asterisk, CallerScript script) {
        try {
            return asterisk.call(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long the app took from the reply to its last prompt to sending HANGUP. */
    private static Duration stepBeforeHangUp(CallTranscript call) {
        int hangUp = call.commands().indexOf("HANGUP");
        assertThat(hangUp).as("the app hung up").isPositive();
        return Duration.ofNanos(call.appStepNanos().get(hangUp - 1));
    }

    private static SubscriberRecord reservation(String code) {
        return postgres.dsl()
                .selectFrom(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code))
                .fetchOne();
    }

    private static void awaitReservation(String code) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (reservation(code).getReservedByCall() != null) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the code was never reserved");
    }

    private static void awaitEmptySpool() throws InterruptedException {
        for (int i = 0; i < 300 && hotline.hotline().spool().pending() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(hotline.hotline().spool().pending()).as("spool replayed").isZero();
        assertThat(postgres.dsl().fetchCount(CALL, CALL.ENDED_AT.isNull()))
                .as("calls left open")
                .isZero();
    }
}
