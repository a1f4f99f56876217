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
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/** The database stops in the middle of calls and comes back: nothing is lost, nothing counted twice. */
class DatabaseOutageIT {

    @Test
    void givenTheDatabaseStopsMidCall_thenCallersHearUnavailableAndEveryChargeLineArrivesExactlyOnce()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-outage-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"))) {
            Map<String, String> settings = new HashMap<>(postgres.settings());
            TestHotline hotline = TestHotline.start(settings);
            try {
                List<Subscriber> subscribers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    subscribers.add(hotline.freshSubscriber());
                }
                FakeAsterisk slow = new FakeAsterisk(
                                "127.0.0.1",
                                hotline.hotline().agiPort(),
                                FakeAsterisk.sameDirectory(),
                                Duration.ofSeconds(60))
                        .inRealTime(0.2);
                List<CompletableFuture<CallTranscript>> before = new ArrayList<>();
                for (Subscriber s : subscribers.subList(0, 4)) {
                    before.add(place(slow, s));
                }
                awaitAnswered(postgres, 4);

                postgres.stop();
                List<CompletableFuture<CallTranscript>> during = new ArrayList<>();
                for (Subscriber s : subscribers.subList(4, 6)) {
                    during.add(place(slow, s));
                }
                List<CallTranscript> calls = new ArrayList<>();
                before.forEach(c -> calls.add(c.join()));
                during.forEach(c -> calls.add(c.join()));
                assertThat(hotline.hotline().spool().pending()).isPositive();

                for (CallTranscript call : calls) {
                    assertThat(call.promptNames()).contains("unavailable").doesNotContain("password-intro");
                }
                for (CallTranscript call : calls.subList(0, 4)) {
                    assertThat(KeypadCallIT.verificationStep(call)).isLessThanOrEqualTo(Duration.ofSeconds(3));
                }

                postgres.start();
                awaitEmptySpool(hotline);

                var dsl = postgres.dsl();
                assertThat(dsl.fetchCount(CALL)).isEqualTo(6);
                for (var record : dsl.selectFrom(CALL).fetch()) {
                    assertThat(record.getEndedAt()).isNotNull();
                    assertThat(record.getOutcome()).isEqualTo("service_unavailable");
                    int lines = dsl.fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId()));
                    assertThat(lines).isEqualTo(1).isEqualTo(record.getBilledMinutes());
                    assertThat(record.getChargedVnd()).isEqualTo(1_000L);
                }
                int billedBySimulator =
                        calls.stream().mapToInt(CallTranscript::billedMinutes).sum();
                assertThat(dsl.fetchCount(CHARGE_LINE)).isEqualTo(billedBySimulator);
                assertThat(dsl.fetchCount(SUBSCRIBER, SUBSCRIBER.PASSWORD_HASH.isNotNull()))
                        .isZero();

                // A second replay (e.g. after a restart) must not count anything twice.
                assertThat(hotline.hotline().spool().replay()).isZero();
                assertThat(dsl.fetchCount(CHARGE_LINE)).isEqualTo(billedBySimulator);
            } finally {
                hotline.close();
            }
        }
    }

    @Test
    void givenASlowDatabase_thenTheCallerHearsUnavailableWithinThreeSecondsAndNothingChanges() throws Exception {
        TestHotline hotline = TestHotline.shared();
        Subscriber subscriber = hotline.freshSubscriber();
        // Another session holds the table: every statement on it waits, like a database that hangs.
        try (var connection = hotline.hotline().database().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("LOCK TABLE subscriber IN ACCESS EXCLUSIVE MODE");

            CallTranscript call =
                    hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));

            connection.rollback();
            assertThat(call.promptNames()).contains("unavailable").doesNotContain("password-intro");
            assertThat(KeypadCallIT.verificationStep(call)).isLessThanOrEqualTo(Duration.ofSeconds(3));
        }
        assertThat(hotline.passwordHash(subscriber.code())).isNull();
        assertThat(hotline.lastCallFrom(subscriber.phone()).getOutcome()).isEqualTo("service_unavailable");
    }

    private static CompletableFuture<CallTranscript> place(FakeAsterisk asterisk, Subscriber s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return asterisk.call(CallerScript.from(s.phone()).keys(s.code() + "#"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void awaitAnswered(ExternalPostgres postgres, int calls) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (postgres.dsl().fetchCount(CALL, CALL.ANSWERED_AT.isNotNull()) >= calls) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("calls were not answered");
    }

    private static void awaitEmptySpool(TestHotline hotline) throws InterruptedException {
        for (int i = 0; i < 150 && hotline.hotline().spool().pending() > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(hotline.hotline().spool().pending()).as("spool replayed").isZero();
    }
}
