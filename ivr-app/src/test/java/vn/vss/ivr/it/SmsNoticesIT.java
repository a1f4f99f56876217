package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.schema.tables.records.NotificationOutboxRecord;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;
import vn.vss.ivr.support.TestSmsc;
import vn.vss.ivr.support.TestSmsc.Submitted;

/**
 * Reset notices delivered by SMS to a real SMPP 3.4 server (jSMPP's server side on 127.0.0.1) from a
 * real hotline: the call that resets a password queues the notice, the sender submits it, the SMSC's
 * answer and receipt are recorded on the row. The SMSC goes down and comes back, throttles, and
 * answers slowly; each notice reaches it exactly once.
 */
class SmsNoticesIT {
    private static final int WINDOW = 2;
    private static TestSmsc smsc;
    private static TestHotline hotline;
    private static int nextNumber = 1;

    @BeforeAll
    static void startHotlineWithAnSmsc() throws Exception {
        smsc = new TestSmsc(ExternalPostgres.freePort(), "vssid-hotline", "s3cret").start();
        Map<String, String> env = new HashMap<>(smsc.settings());
        env.put("IVR_SMSC_WINDOW", Integer.toString(WINDOW));
        env.put("IVR_SMSC_MAX_PER_SECOND", "50");
        env.put("IVR_SMS_SOURCE_ADDRESS", "1900 9068");
        hotline = TestHotline.start(
                env,
                c -> c.withSmsNotices(c.smsNotices()
                        .orElseThrow()
                        .withTimings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(300))));
    }

    @AfterAll
    static void stop() {
        hotline.close();
        smsc.close();
    }

    @Test
    void givenACallerHeardTheirNewPassword_thenTheSmscGetsTheNoticeInUcs2AndTheRowKeepsItsMessageIdAndReceipt()
            throws Exception {
        Subscriber subscriber = hotline.freshSubscriber();
        String international = "84" + subscriber.phone().substring(1);

        CallTranscript call = hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        String password = call.digitsAfter("password-intro", 1);
        assertThat(password).hasSize(8);

        smsc.await(all -> accepted(all, international) == 1, Duration.ofSeconds(20), "the notice");
        Submitted sms = smsc.accepted().stream()
                .filter(s -> s.destAddr().equals(international))
                .findFirst()
                .orElseThrow();
        NotificationOutboxRecord row =
                awaitRow(NOTIFICATION_OUTBOX.PHONE_E164.eq("+" + international), r -> r.getReceiptState() != null);

        OffsetDateTime resetAt = row.getCreatedAt();
        var vietnam = resetAt.atZoneSameInstant(ZoneId.of("Asia/Ho_Chi_Minh"));
        assertThat(sms.text())
                .isEqualTo("Mật khẩu VssID của bạn vừa được cấp lại qua tổng đài 1900 9068 lúc "
                        + vietnam.format(DateTimeFormatter.ofPattern("HH:mm")) + " ngày "
                        + vietnam.format(DateTimeFormatter.ofPattern("dd/MM"))
                        + ". Nếu không phải bạn, hãy gọi 1900 9068.")
                .doesNotContain(password);
        assertThat(sms.dataCoding()).as("UCS2").isEqualTo(SMPPConstant.DC_UCS2);
        assertThat(sms.shortMessageLength())
                .as("the text travels in message_payload")
                .isZero();
        assertThat(sms.destTon()).isEqualTo(SMPPConstant.TON_INTERNATIONAL);
        assertThat(sms.destNpi()).isEqualTo(SMPPConstant.NPI_ISDN);
        assertThat(sms.sourceAddr()).isEqualTo("19009068");
        assertThat(sms.sourceTon()).isEqualTo(SMPPConstant.TON_NATIONAL);
        assertThat(sms.sourceNpi()).isEqualTo(SMPPConstant.NPI_ISDN);
        assertThat(sms.registeredDelivery())
                .as("a delivery receipt is asked for")
                .isEqualTo((byte) 1);

        assertThat(row.getState()).isEqualTo("sent");
        assertThat(row.getSentAt()).isNotNull();
        assertThat(row.getSmscMessageId()).isEqualTo(sms.messageId());
        assertThat(row.getAttempts()).isEqualTo(1);
        assertThat(row.getReceiptState()).isEqualTo("DELIVRD");
        assertThat(row.getReceiptError()).isEqualTo("000");
        assertThat(row.toString()).doesNotContain(password);
        assertThat(hotline.logs().all())
                .contains("SMS notices are on: SMSC 127.0.0.1:" + smsc.port() + " as system id 'vssid-hotline'")
                .doesNotContain("s3cret")
                .doesNotContain(password);
    }

    @Test
    void givenTheSmscIsDown_thenNoticesWaitAndEachIsSentOnceWhenItIsBack() throws Exception {
        smsc.stop();
        List<String> first = queueNotices(4);
        Thread.sleep(1_500);
        assertThat(rows(first)).allSatisfy(row -> {
            assertThat(row.getState()).isEqualTo("pending");
            assertThat(row.getSmscMessageId()).isNull();
        });
        assertThat(smsc.submitted()).noneMatch(s -> first.contains("+" + s.destAddr()));
        awaitGauge("ivr.smsc.bound", value -> value == 0);
        awaitGauge("ivr.sms.waiting", value -> value >= first.size());
        awaitGauge("ivr.sms.oldest.waiting", value -> value >= 1);

        smsc.start();
        awaitAllSent(first);
        awaitGauge("ivr.smsc.bound", value -> value == 1);

        // Down again while bound and idle: the lost bind is noticed and made again.
        smsc.stop();
        List<String> second = queueNotices(3);
        Thread.sleep(1_000);
        assertThat(rows(second)).allSatisfy(row -> assertThat(row.getState()).isEqualTo("pending"));
        smsc.start();
        awaitAllSent(second);

        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertEachReceivedOnceAndMarkedWithItsId(all);
    }

    @Test
    void givenTheSmscThrottles_thenEveryNoticeIsTriedAgainAndAcceptedOnce() throws Exception {
        double throttledBefore = retries("throttled");
        double errorsBefore = retries("smsc_error");
        smsc.refuseNext(
                SMPPConstant.STAT_ESME_RTHROTTLED,
                SMPPConstant.STAT_ESME_RTHROTTLED,
                SMPPConstant.STAT_ESME_RTHROTTLED,
                SMPPConstant.STAT_ESME_RMSGQFUL,
                SMPPConstant.STAT_ESME_RMSGQFUL,
                SMPPConstant.STAT_ESME_RSYSERR);
        List<String> numbers = queueNotices(5);

        awaitAllSent(numbers);

        long refused = smsc.submitted().stream()
                .filter(s -> numbers.contains("+" + s.destAddr()) && s.messageId() == null)
                .count();
        assertThat(refused).isEqualTo(6);
        assertEachReceivedOnceAndMarkedWithItsId(numbers);
        assertThat(retries("throttled") - throttledBefore).isEqualTo(5);
        assertThat(retries("smsc_error") - errorsBefore).isEqualTo(1);
        assertThat(rows(numbers))
                .allSatisfy(row -> assertThat(row.getLastError()).isNull());
        assertThat(rows(numbers).stream()
                        .mapToInt(NotificationOutboxRecord::getAttempts)
                        .sum())
                .as("throttling is not held against a notice; the system error is")
                .isEqualTo(numbers.size() + 1);
    }

    @Test
    void givenTheSmscRefusesTheNumberForGood_thenTheNoticeFailsAtOnceNamingTheStatusAndIsNotTriedAgain()
            throws Exception {
        double failedBefore = notices("failed");
        smsc.refuseNext(SMPPConstant.STAT_ESME_RINVDSTADR);
        List<String> refused = queueNotices(1);

        NotificationOutboxRecord row = awaitRow(NOTIFICATION_OUTBOX.PHONE_E164.eq(refused.get(0)), r -> r.getState()
                .equals("failed"));
        Thread.sleep(1_000);

        assertThat(row.getLastError()).isEqualTo("ESME_RINVDSTADR (0x0000000B)");
        assertThat(row.getSmscMessageId()).isNull();
        assertThat(smsc.submitted().stream().filter(s -> refused.contains("+" + s.destAddr())))
                .hasSize(1);
        assertThat(notices("failed") - failedBefore).isEqualTo(1);
    }

    @Test
    void givenTheSmscGoesDownWhileHoldingTheAnswer_thenTheNoticeIsInDoubtAndNotSentAgain() throws Exception {
        double inDoubtBefore = notices("in_doubt");
        smsc.replyAfter(Duration.ofSeconds(3));
        List<String> held;
        try {
            held = queueNotices(1);
            smsc.await(
                    all -> all.stream().anyMatch(s -> held.contains("+" + s.destAddr())) && smsc.inFlight() > 0,
                    Duration.ofSeconds(10),
                    "the notice, held unanswered");
            smsc.stop();
        } finally {
            smsc.replyAfter(Duration.ZERO);
        }
        NotificationOutboxRecord row = awaitRow(NOTIFICATION_OUTBOX.PHONE_E164.eq(held.get(0)), r -> !r.getState()
                .equals("submitting"));
        assertThat(row.getState()).isEqualTo("in_doubt");
        assertThat(row.getLastError()).isNotBlank();
        assertThat(notices("in_doubt") - inDoubtBefore).isEqualTo(1);

        smsc.start();
        List<String> after = queueNotices(1);
        awaitAllSent(after);
        assertThat(rows(held)).singleElement().satisfies(r -> assertThat(r.getState())
                .isEqualTo("in_doubt"));
        assertThat(smsc.submitted().stream().filter(s -> held.contains("+" + s.destAddr())))
                .as("received once, never again")
                .hasSize(1);
        awaitGauge("ivr.sms.in.doubt", value -> value >= 1);
    }

    @Test
    void givenMoreNoticesThanTheWindow_thenNoMoreThanTheWindowWaitForTheirAnswerAtOnce() throws Exception {
        smsc.replyAfter(Duration.ofMillis(300));
        try {
            List<String> numbers = queueNotices(8);
            awaitAllSent(numbers);
            assertEachReceivedOnceAndMarkedWithItsId(numbers);
            assertThat(smsc.mostInFlight()).isEqualTo(WINDOW);
        } finally {
            smsc.replyAfter(Duration.ZERO);
        }
    }

    @Test
    void givenNoSmsc_thenStartUpSaysSoInOneLineAndTheNoticesStayQueued() throws Exception {
        TestHotline withoutSmsc = TestHotline.shared();
        Subscriber subscriber = withoutSmsc.freshSubscriber();

        withoutSmsc.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
        Thread.sleep(1_500);

        NotificationOutboxRecord row = withoutSmsc
                .dsl()
                .selectFrom(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.BHXH_CODE.eq(subscriber.code()))
                .fetchOne();
        assertThat(row.getState()).isEqualTo("pending");
        assertThat(row.getAttempts()).isZero();
        assertThat(withoutSmsc.hotline().registry().find("ivr.sms.waiting").gauge())
                .as("no SMS metrics while SMS notices are off")
                .isNull();
        assertThat(withoutSmsc.logs().lines()).anySatisfy(line -> assertThat(line)
                .endsWith("SMS notices are off (IVR_SMSC_ADDRESS is not set): reset notices stay queued in"
                        + " notification_outbox"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static synchronized List<String> queueNotices(int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String phone = String.format("+8497%07d", ProcessHandle.current().pid() % 100 * 10_000 + nextNumber++);
            hotline.dsl()
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

    private static List<NotificationOutboxRecord> rows(List<String> numbers) {
        return hotline.dsl()
                .selectFrom(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.PHONE_E164.in(numbers))
                .fetch();
    }

    private static void awaitAllSent(List<String> numbers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!rows(numbers).stream().allMatch(row -> row.getState().equals("sent"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not all sent: "
                        + rows(numbers).stream()
                                .map(row -> row.getPhoneE164() + "=" + row.getState() + " " + row.getLastError())
                                .toList());
            }
            Thread.sleep(50);
        }
    }

    private static NotificationOutboxRecord awaitRow(
            org.jooq.Condition which, java.util.function.Predicate<NotificationOutboxRecord> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            NotificationOutboxRecord row =
                    hotline.dsl().selectFrom(NOTIFICATION_OUTBOX).where(which).fetchOne();
            if (row != null && done.test(row)) {
                return row;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the row did not get there: " + row);
            }
            Thread.sleep(50);
        }
    }

    /** Each number reached the SMSC in exactly one accepted submit_sm, whose id its row keeps. */
    private static void assertEachReceivedOnceAndMarkedWithItsId(List<String> numbers) {
        Map<String, List<Submitted>> accepted = smsc.accepted().stream()
                .filter(s -> numbers.contains("+" + s.destAddr()))
                .collect(Collectors.groupingBy(s -> "+" + s.destAddr()));
        assertThat(accepted.keySet()).isEqualTo(Set.copyOf(numbers));
        assertThat(accepted.values()).allSatisfy(each -> assertThat(each).hasSize(1));
        Map<String, NotificationOutboxRecord> byNumber = rows(numbers).stream()
                .collect(Collectors.toMap(NotificationOutboxRecord::getPhoneE164, Function.identity()));
        accepted.forEach((number, submits) -> assertThat(byNumber.get(number).getSmscMessageId())
                .isEqualTo(submits.get(0).messageId()));
    }

    private static long accepted(List<Submitted> all, String destination) {
        return all.stream()
                .filter(s -> s.messageId() != null && s.destAddr().equals(destination))
                .count();
    }

    /** The gauges the alerts read: refreshed every few seconds from the outbox. */
    private static void awaitGauge(String name, java.util.function.DoublePredicate expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.test(hotline.hotline().registry().get(name).gauge().value())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " stayed at "
                        + hotline.hotline().registry().get(name).gauge().value());
            }
            Thread.sleep(100);
        }
    }

    private static double notices(String result) {
        var counter = hotline.hotline()
                .registry()
                .find("ivr.sms.notices")
                .tag("result", result)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static double retries(String reason) {
        var counter = hotline.hotline()
                .registry()
                .find("ivr.sms.retries")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
