package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.CallRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.support.ChildApp;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.RawHttp;

/** A real SIGTERM to the app process ({@code docker stop}) drains it: the call in progress finishes, then exit 0. */
class GracefulStopIT {

    @Test
    void givenACallInProgress_whenTheAppGetsSigterm_thenTheCallFinishesAndTheAppExitsZero() throws Exception {
        Path directory = Files.createTempDirectory("ivr-stop-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"))) {
            int agiPort = ExternalPostgres.freePort();
            int httpPort = ExternalPostgres.freePort();
            Map<String, String> env = new HashMap<>(postgres.settings());
            env.put("IVR_AGI_PORT", Integer.toString(agiPort));
            env.put("IVR_HTTP_PORT", Integer.toString(httpPort));
            env.put("IVR_ENGLISH_VOICE", "false");
            env.put("IVR_SPEECH_RECOGNITION", "false");
            env.put("IVR_INSTANCE_ID", "stop-test");
            env.put("IVR_DRAIN_TIMEOUT", "2m");
            env.put("IVR_SOUNDS_DIR", directory.resolve("sounds").toString());
            env.put("IVR_SPOOL_FILE", directory.resolve("spool.log").toString());
            env.put("IVR_RECORDINGS_DIR", directory.resolve("recordings").toString());
            Path log = directory.resolve("app.log");

            Process app = ChildApp.start(env, log);
            try {
                ChildApp.awaitReady(httpPort);
                postgres.dsl()
                        .insertInto(SUBSCRIBER)
                        .set(SUBSCRIBER.BHXH_CODE, "8200000001")
                        .set(SUBSCRIBER.PHONE_E164, "+84982000001")
                        .execute();
                FakeAsterisk asterisk = new FakeAsterisk(
                                "127.0.0.1", agiPort, FakeAsterisk.sameDirectory(), Duration.ofSeconds(60))
                        .inRealTime(0.5);
                CompletableFuture<CallTranscript> call = CompletableFuture.supplyAsync(() -> {
                    try {
                        return asterisk.call(CallerScript.from("0982000001").keys("8200000001#"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                GracefulDrainIT.awaitAnswered(postgres.dsl(), "0982000001");

                app.destroy(); // SIGTERM
                GracefulDrainIT.awaitRefused(agiPort);
                assertThat(RawHttp.get(httpPort, "/health/ready", 5_000)).startsWith("HTTP/1.1 503");

                assertThat(app.waitFor(120, TimeUnit.SECONDS))
                        .as("exited after the drain")
                        .isTrue();
                assertThat(app.exitValue())
                        .as("exit status; log:%n%s", Files.readString(log))
                        .isZero();
                CallTranscript transcript = call.get(10, TimeUnit.SECONDS);
                assertThat(transcript.promptNames()).contains("password-intro").endsWith("goodbye");
            } finally {
                app.destroyForcibly();
                app.waitFor(20, TimeUnit.SECONDS);
            }
            CallRecord record = postgres.dsl().selectFrom(CALL).fetchOne();
            assertThat(record.getOutcome()).isEqualTo("password_heard");
            assertThat(record.getEndedAt()).isNotNull();
            assertThat(record.getBilledMinutes()).isEqualTo(1);
            assertThat(postgres.dsl().fetchCount(CHARGE_LINE, CHARGE_LINE.CALL_ID.eq(record.getId())))
                    .isEqualTo(1);
            assertThat(postgres.dsl()
                            .select(SUBSCRIBER.PASSWORD_HASH)
                            .from(SUBSCRIBER)
                            .fetchOne(SUBSCRIBER.PASSWORD_HASH))
                    .isNotNull();
            assertThat(Files.readString(log)).contains("drained:");
        }
    }
}
