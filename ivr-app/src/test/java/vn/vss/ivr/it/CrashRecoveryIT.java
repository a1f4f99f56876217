package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.ChildApp;
import vn.vss.ivr.support.ExternalPostgres;

/** The app process is killed (SIGKILL) in the middle of a call; the next start closes that call. */
class CrashRecoveryIT {
    @Test
    void givenTheAppIsKilledMidCall_thenTheNextStartClosesTheCallAsInterruptedWithItsCharges() throws Exception {
        Path directory = Files.createTempDirectory("ivr-crash-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"))) {
            int agiPort = ExternalPostgres.freePort();
            int httpPort = ExternalPostgres.freePort();
            Map<String, String> env = new java.util.HashMap<>(postgres.settings());
            env.put("IVR_AGI_PORT", Integer.toString(agiPort));
            env.put("IVR_HTTP_PORT", Integer.toString(httpPort));
            env.put("IVR_ENGLISH_VOICE", "false");
            env.put("IVR_INSTANCE_ID", "crash-test");
            // The restarted process waits for the killed one's lease to expire: the shortest lease the
            // default IVR_DB_QUERY_TIMEOUT allows.
            env.put("IVR_INSTANCE_LEASE", "6s");
            env.put("IVR_SOUNDS_DIR", directory.resolve("sounds").toString());
            env.put("IVR_SPOOL_FILE", directory.resolve("spool.log").toString());
            Path recordings = directory.resolve("recordings");
            env.put("IVR_RECORDINGS_DIR", recordings.toString());

            Process first = ChildApp.start(env, directory.resolve("first.log"));
            try {
                ChildApp.awaitReady(httpPort);
                postgres.dsl()
                        .insertInto(SUBSCRIBER)
                        .set(SUBSCRIBER.BHXH_CODE, "8100000001")
                        .set(SUBSCRIBER.PHONE_E164, "+84981000001")
                        .execute();
                FakeAsterisk asterisk = new FakeAsterisk(
                                "127.0.0.1", agiPort, FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                        .inRealTime(1.0);
                CompletableFuture<?> call = CompletableFuture.runAsync(() -> {
                    try {
                        asterisk.call(CallerScript.from("0981000001").keys("8100000001#"));
                    } catch (IOException expected) {
                        // the app dies under the call
                    }
                });
                awaitAnsweredCall(postgres);

                first.destroyForcibly();
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
                call.get(30, TimeUnit.SECONDS);
            } finally {
                first.destroyForcibly();
            }
            CallRecord open = postgres.dsl().selectFrom(CALL).fetchOne();
            assertThat(open.getEndedAt()).as("still open after the kill").isNull();
            // A spoken code's recording that the killed app never deleted, older than the longest call.
            Files.createDirectories(recordings);
            Path leftover = Files.writeString(recordings.resolve("rec-1700000000.7-1f.wav"), "RIFF");
            Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofMinutes(15))));

            Process second = ChildApp.start(env, directory.resolve("second.log"));
            try {
                ChildApp.awaitReady(httpPort);
                CallRecord closed = postgres.dsl().selectFrom(CALL).fetchOne();
                assertThat(closed.getOutcome()).isEqualTo("interrupted");
                assertThat(closed.getEndedAt()).isNotNull().isAfterOrEqualTo(closed.getAnsweredAt());
                int lines = postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(closed.getId()));
                assertThat(lines).isEqualTo(1);
                assertThat(closed.getBilledMinutes()).isEqualTo(lines);
                assertThat(closed.getChargedVnd()).isEqualTo(1_000L);
                assertThat(postgres.dsl()
                                .select(SUBSCRIBER.PASSWORD_HASH)
                                .from(SUBSCRIBER)
                                .fetchOne(SUBSCRIBER.PASSWORD_HASH))
                        .isNull();
                assertThat(Files.readString(directory.resolve("second.log")))
                        .contains("1 open call(s) closed as interrupted");
                awaitDeleted(leftover);
            } finally {
                second.destroyForcibly();
                second.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitDeleted(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(file).as("leftover recording deleted at start-up").doesNotExist();
    }

    private static void awaitAnsweredCall(ExternalPostgres postgres) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (postgres.dsl().fetchCount(CALL, CALL.ANSWERED_AT.isNotNull()) == 1
                    && postgres.dsl().fetchCount(CHARGE_LINE) == 1) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the call was not answered");
    }
}
