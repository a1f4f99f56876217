package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.NotificationOutboxRecord;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestSmsc;
import vn.vss.ivr.support.TestSmsc.Submitted;

/**
 * PostgreSQL stops while the SMSC holds the answers to a batch of notices, and starts again a few
 * seconds later: the answers that came meanwhile are written once the database is back, so every
 * notice ends sent, once, with its message id; none is left in doubt and none is sent twice.
 */
class SmsNoticesDatabaseOutageIT {
    private static final int NOTICES = 6;

    @Test
    void givenTheDatabaseStopsWhileTheSmscAnswers_thenEachNoticeIsMarkedSentOnceItIsBack() throws Exception {
        Path directory = Files.createTempDirectory("ivr-sms-db-");
        try (ExternalPostgres postgres = new ExternalPostgres(directory.resolve("pg"));
                TestSmsc smsc = new TestSmsc(ExternalPostgres.freePort(), "vssid-hotline", "s3cret").start()) {
            Map<String, String> env = new HashMap<>(postgres.settings());
            env.putAll(smsc.settings());
            env.put("IVR_SMSC_WINDOW", "3");
            TestHotline hotline = TestHotline.start(env);
            try {
                smsc.replyAfter(Duration.ofMillis(1_500));
                List<String> numbers = queueNotices(postgres);
                smsc.await(
                        received -> received.size() >= 3 && smsc.inFlight() == 3,
                        Duration.ofSeconds(20),
                        "a full window held");
                postgres.stop();
                Thread.sleep(4_000);
                postgres.start();
                smsc.replyAfter(Duration.ZERO);

                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (postgres.dsl().fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.STATE.eq("sent")) < NOTICES) {
                    assertThat(System.nanoTime()).as("all sent within a minute").isLessThan(deadline);
                    Thread.sleep(100);
                }
                Map<String, List<Submitted>> received =
                        smsc.submitted().stream().collect(Collectors.groupingBy(s -> "+" + s.destAddr()));
                List<NotificationOutboxRecord> rows =
                        postgres.dsl().selectFrom(NOTIFICATION_OUTBOX).fetch();
                assertThat(rows).hasSize(NOTICES);
                for (NotificationOutboxRecord row : rows) {
                    assertThat(received.get(row.getPhoneE164())).hasSize(1);
                    assertThat(row.getSmscMessageId())
                            .isEqualTo(received.get(row.getPhoneE164()).get(0).messageId());
                }
                assertThat(numbers).hasSize(NOTICES);
            } finally {
                hotline.close();
            }
        }
    }

    private static List<String> queueNotices(ExternalPostgres postgres) {
        List<String> numbers = new java.util.ArrayList<>();
        for (int i = 0; i < NOTICES; i++) {
            String phone = String.format("+84962%06d", i + 1);
            postgres.dsl()
                    .insertInto(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.BHXH_CODE, "0000000000")
                    .set(NOTIFICATION_OUTBOX.PHONE_E164, phone)
                    .set(NOTIFICATION_OUTBOX.KIND, "password_reset_by_phone")
                    .set(NOTIFICATION_OUTBOX.CREATED_AT, OffsetDateTime.now())
                    .execute();
            numbers.add(phone);
        }
        return numbers;
    }
}
