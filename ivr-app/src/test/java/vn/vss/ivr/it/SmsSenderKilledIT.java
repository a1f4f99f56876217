package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.SmsInDoubt;
import vn.vss.ivr.adapter.postgres.schema.tables.records.NotificationOutboxRecord;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.support.ChildApp;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.RawHttp;
import vn.vss.ivr.support.TestSmsc;
import vn.vss.ivr.support.TestSmsc.Submitted;

/**
 * The app, in a JVM of its own, is killed (SIGKILL) while a real SMPP server is receiving a batch of
 * notices from it and holding their answers. After the next start no notice has reached the SMSC
 * twice, and each is either sent (with the id the SMSC gave it) or in doubt, counted and logged:
 * none is lost, none silently sent again.
 */
class SmsSenderKilledIT {
    private static final int NOTICES = 30;

    @Test
    void givenTheSenderIsKilledMidBatch_thenNoNoticeReachesTheSmscTwiceAndEachIsSentOrVisiblyInDoubt()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-sms-kill-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"));
                TestSmsc smsc = new TestSmsc(ExternalPostgres.freePort(), "vssid-hotline", "s3cret").start()) {
            smsc.replyAfter(Duration.ofMillis(400));
            int httpPort = ExternalPostgres.freePort();
            Map<String, String> env = new HashMap<>(postgres.settings());
            env.putAll(smsc.settings());
            env.put("IVR_SMSC_WINDOW", "4");
            env.put("IVR_SMSC_MAX_PER_SECOND", "20");
            env.put("IVR_AGI_PORT", Integer.toString(ExternalPostgres.freePort()));
            env.put("IVR_HTTP_PORT", Integer.toString(httpPort));
            env.put("IVR_ENGLISH_VOICE", "false");
            env.put("IVR_SPEECH_RECOGNITION", "false");
            env.put("IVR_INSTANCE_ID", "sms-kill-test");
            env.put("IVR_SOUNDS_DIR", directory.resolve("sounds").toString());
            env.put("IVR_SPOOL_FILE", directory.resolve("spool.log").toString());
            env.put("IVR_RECORDINGS_DIR", directory.resolve("recordings").toString());

            Process first = ChildApp.start(env, directory.resolve("first.log"));
            int claimedAtTheKill;
            int sentBeforeTheKill;
            try {
                ChildApp.awaitReady(httpPort);
                queueNotices(postgres, NOTICES);
                smsc.await(
                        received -> received.size() >= 8 && smsc.inFlight() > 0,
                        Duration.ofSeconds(30),
                        "a batch in flight");
                first.destroyForcibly();
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                first.destroyForcibly();
            }
            claimedAtTheKill =
                    postgres.dsl().fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.STATE.eq("submitting"));
            assertThat(claimedAtTheKill)
                    .as("notices claimed and unanswered when the sender died")
                    .isPositive();
            sentBeforeTheKill = postgres.dsl().fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.STATE.eq("sent"));
            smsc.replyAfter(Duration.ZERO);

            Process second = ChildApp.start(env, directory.resolve("second.log"));
            try {
                ChildApp.awaitReady(httpPort);
                awaitNoneWaiting(postgres);
                List<NotificationOutboxRecord> rows =
                        postgres.dsl().selectFrom(NOTIFICATION_OUTBOX).fetch();
                Map<String, List<Submitted>> received =
                        smsc.submitted().stream().collect(Collectors.groupingBy(s -> "+" + s.destAddr()));

                assertThat(received.values())
                        .as("no notice reached the SMSC twice")
                        .allSatisfy(each -> assertThat(each).hasSize(1));
                assertThat(rows).hasSize(NOTICES).allSatisfy(row -> assertThat(row.getState())
                        .isIn("sent", "in_doubt"));
                List<NotificationOutboxRecord> inDoubt = rows.stream()
                        .filter(row -> row.getState().equals("in_doubt"))
                        .toList();
                assertThat(inDoubt).hasSize(claimedAtTheKill);
                for (NotificationOutboxRecord row : rows) {
                    List<Submitted> submits = received.getOrDefault(row.getPhoneE164(), List.of());
                    if (row.getState().equals("sent")) {
                        assertThat(submits).hasSize(1);
                        assertThat(row.getSmscMessageId())
                                .isEqualTo(submits.get(0).messageId());
                    } else {
                        assertThat(row.getSmscMessageId()).isNull();
                        assertThat(row.getLastError()).contains("sms-kill-test");
                    }
                }
                assertThat(Files.readString(directory.resolve("second.log")))
                        .contains(claimedAtTheKill
                                + " SMS notice(s) were being submitted when this instance stopped: marked in doubt");
                awaitMetric(httpPort, "ivr_sms_in_doubt", claimedAtTheKill);
                assertThat(metric(httpPort, "ivr_sms_notices_total{result=\"in_doubt\"}"))
                        .isEqualTo(claimedAtTheKill);
                assertThat(metric(httpPort, "ivr_sms_notices_total{result=\"sent\"}"))
                        .as("sent by the second start: the notices nobody had claimed")
                        .isEqualTo(NOTICES - claimedAtTheKill - sentBeforeTheKill);
                operatorSettlesTheNoticesInDoubt(env, postgres, smsc, inDoubt);
            } finally {
                second.destroyForcibly();
                second.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The operator's command lists the notices in doubt with their numbers; one is sent again (the
     * running sender sends it), the others are recorded as sent; a notice not in doubt is refused.
     */
    private static void operatorSettlesTheNoticesInDoubt(
            Map<String, String> env, ExternalPostgres postgres, TestSmsc smsc, List<NotificationOutboxRecord> inDoubt)
            throws Exception {
        IvrConfig config = IvrConfig.from(env);
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        assertThat(SmsInDoubt.run(config, Map.of(), new PrintStream(listing, true, StandardCharsets.UTF_8)))
                .isZero();
        assertThat(listing.toString(StandardCharsets.UTF_8))
                .contains(inDoubt.size() + " notice(s) in doubt")
                .contains(inDoubt.stream()
                        .map(NotificationOutboxRecord::getPhoneE164)
                        .toList());

        NotificationOutboxRecord resent = inDoubt.get(0);
        String number = resent.getPhoneE164().substring(1);
        long receivedBefore = smsc.submitted().stream()
                .filter(s -> s.destAddr().equals(number))
                .count();
        assertThat(SmsInDoubt.run(config, Map.of("resend", resent.getId().toString()), quiet()))
                .isZero();
        smsc.await(
                received -> received.stream()
                                .filter(s -> s.destAddr().equals(number))
                                .count()
                        == receivedBefore + 1,
                Duration.ofSeconds(20),
                "the notice sent again");
        for (int i = 0;
                i < 100
                        && postgres.dsl()
                                        .fetchCount(
                                                NOTIFICATION_OUTBOX,
                                                NOTIFICATION_OUTBOX
                                                        .ID
                                                        .eq(resent.getId())
                                                        .and(NOTIFICATION_OUTBOX.STATE.eq("sent")))
                                == 0;
                i++) {
            Thread.sleep(100);
        }
        for (NotificationOutboxRecord other : inDoubt.subList(1, inDoubt.size())) {
            assertThat(SmsInDoubt.run(config, Map.of("mark-sent", other.getId().toString()), quiet()))
                    .isZero();
        }
        assertThat(SmsInDoubt.run(config, Map.of("resend", resent.getId().toString()), quiet()))
                .as("a notice no longer in doubt is refused")
                .isEqualTo(1);
        assertThat(postgres.dsl().fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.STATE.ne("sent")))
                .isZero();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static void queueNotices(ExternalPostgres postgres, int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(String.format("+84961%06d", i + 1));
        }
        for (String phone : numbers) {
            postgres.dsl()
                    .insertInto(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.BHXH_CODE, "0000000000")
                    .set(NOTIFICATION_OUTBOX.PHONE_E164, phone)
                    .set(NOTIFICATION_OUTBOX.KIND, "password_reset_by_phone")
                    .set(NOTIFICATION_OUTBOX.CREATED_AT, OffsetDateTime.now())
                    .execute();
        }
    }

    private static void awaitNoneWaiting(ExternalPostgres postgres) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (postgres.dsl().fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.STATE.in("pending", "submitting"))
                    == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("notices still waiting after 30 s");
    }

    private static void awaitMetric(int port, String name, double expected) throws Exception {
        for (int i = 0; i < 150; i++) {
            if (metric(port, name) == expected) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(metric(port, name)).as(name).isEqualTo(expected);
    }

    private static double metric(int port, String name) throws IOException {
        String body = RawHttp.get(port, "/metrics", 5_000);
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name.replace("}", ","))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }
}
