package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SMS_DELIVERY_RECEIPT;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import vn.vss.ivr.call.NoticeOutbox;
import vn.vss.ivr.call.ResetNotice;

/**
 * The outbox of reset notices in PostgreSQL. Each method is one committed statement (or one
 * transaction), so what it wrote survives the process being killed the moment it returns.
 */
public final class JooqNoticeOutbox implements NoticeOutbox {
    static final String PENDING = "pending";
    static final String SUBMITTING = "submitting";
    static final String SENT = "sent";
    static final String IN_DOUBT = "in_doubt";
    static final String FAILED = "failed";

    /** The notices this outbox hands to the SMS sender (the reset queues no other kind yet). */
    private static final String KIND = JooqSubscriberDirectory.NOTICE_RESET_BY_PHONE;

    private static final int ERROR_LENGTH = 200;

    private final DSLContext dsl;

    public JooqNoticeOutbox(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<Claim> claim(int most, String instance, Instant now) {
        var due = DSL.select(NOTIFICATION_OUTBOX.ID)
                .from(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.STATE.eq(PENDING))
                .and(NOTIFICATION_OUTBOX.KIND.eq(KIND))
                .and(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT.isNull().or(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT.le(utc(now))))
                .orderBy(NOTIFICATION_OUTBOX.CREATED_AT, NOTIFICATION_OUTBOX.ID)
                .limit(most)
                .forUpdate()
                .skipLocked();
        try {
            return dsl
                    .update(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.STATE, SUBMITTING)
                    .set(NOTIFICATION_OUTBOX.CLAIMED_BY, instance)
                    .set(NOTIFICATION_OUTBOX.CLAIMED_AT, utc(now))
                    .set(NOTIFICATION_OUTBOX.ATTEMPTS, NOTIFICATION_OUTBOX.ATTEMPTS.plus(1))
                    .where(NOTIFICATION_OUTBOX.ID.in(due))
                    .returning(
                            NOTIFICATION_OUTBOX.ID,
                            NOTIFICATION_OUTBOX.PHONE_E164,
                            NOTIFICATION_OUTBOX.CREATED_AT,
                            NOTIFICATION_OUTBOX.ATTEMPTS)
                    .fetch()
                    .stream()
                    .map(row -> new Claim(
                            new ResetNotice(
                                    row.getId(),
                                    row.getPhoneE164(),
                                    row.getCreatedAt().toInstant()),
                            row.getAttempts()))
                    .sorted(Comparator.comparing((Claim claim) -> claim.notice().resetAt())
                            .thenComparing(claim -> claim.notice().id()))
                    .toList();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("notices could not be claimed", e);
        }
    }

    /**
     * A row the abandoned-claim sweep already turned in doubt (this sender's database was slow) is
     * still ours to mark: the SMSC's answer settles the doubt.
     */
    @Override
    public void markSent(long id, String instance, String messageId, Instant now) {
        try {
            dsl.transaction(tx -> {
                int marked = tx.dsl()
                        .update(NOTIFICATION_OUTBOX)
                        .set(NOTIFICATION_OUTBOX.STATE, SENT)
                        .set(NOTIFICATION_OUTBOX.SENT_AT, utc(now))
                        .set(NOTIFICATION_OUTBOX.SMSC_MESSAGE_ID, messageId)
                        .setNull(NOTIFICATION_OUTBOX.LAST_ERROR)
                        .where(ours(id, instance).and(NOTIFICATION_OUTBOX.STATE.in(SUBMITTING, IN_DOUBT)))
                        .execute();
                if (marked == 1) {
                    copyReceiptArrivedFirst(tx.dsl(), id, messageId);
                }
            });
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the notice could not be marked sent", e);
        }
    }

    /** The SMSC sends the receipt as soon as it can, sometimes before this row is marked sent. */
    private static void copyReceiptArrivedFirst(DSLContext tx, long id, String messageId) {
        var latest = tx.selectFrom(SMS_DELIVERY_RECEIPT)
                .where(SMS_DELIVERY_RECEIPT.SMSC_MESSAGE_ID.eq(messageId))
                .orderBy(SMS_DELIVERY_RECEIPT.RECEIVED_AT.desc(), SMS_DELIVERY_RECEIPT.ID.desc())
                .limit(1)
                .fetchOptional();
        latest.ifPresent(receipt -> tx.update(NOTIFICATION_OUTBOX)
                .set(NOTIFICATION_OUTBOX.RECEIPT_STATE, receipt.getState())
                .set(NOTIFICATION_OUTBOX.RECEIPT_ERROR, receipt.getError())
                .set(NOTIFICATION_OUTBOX.RECEIPT_AT, receipt.getReceivedAt())
                .where(NOTIFICATION_OUTBOX.ID.eq(id))
                .execute());
    }

    @Override
    public void retryLater(long id, String instance, Instant at, String error, boolean countsAsAttempt) {
        try {
            dsl.update(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.STATE, PENDING)
                    .set(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT, utc(at))
                    .set(NOTIFICATION_OUTBOX.LAST_ERROR, shortened(error))
                    .set(
                            NOTIFICATION_OUTBOX.ATTEMPTS,
                            countsAsAttempt ? NOTIFICATION_OUTBOX.ATTEMPTS : NOTIFICATION_OUTBOX.ATTEMPTS.minus(1))
                    .setNull(NOTIFICATION_OUTBOX.CLAIMED_BY)
                    .setNull(NOTIFICATION_OUTBOX.CLAIMED_AT)
                    .where(ours(id, instance).and(NOTIFICATION_OUTBOX.STATE.eq(SUBMITTING)))
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the notice could not be put back", e);
        }
    }

    @Override
    public void markFailed(long id, String instance, String error) {
        settle(id, instance, FAILED, error);
    }

    @Override
    public void markInDoubt(long id, String instance, String error) {
        settle(id, instance, IN_DOUBT, error);
    }

    private void settle(long id, String instance, String state, String error) {
        try {
            dsl.update(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.STATE, state)
                    .set(NOTIFICATION_OUTBOX.LAST_ERROR, shortened(error))
                    .where(ours(id, instance).and(NOTIFICATION_OUTBOX.STATE.eq(SUBMITTING)))
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the notice could not be marked " + state, e);
        }
    }

    @Override
    public int inDoubtAfterRestart(String instance) {
        return inDoubt(
                NOTIFICATION_OUTBOX.CLAIMED_BY.eq(instance),
                "claimed by " + instance + " before it stopped, not answered");
    }

    @Override
    public int inDoubtWhenAbandoned(Instant claimedBefore) {
        return inDoubt(
                NOTIFICATION_OUTBOX.CLAIMED_AT.lt(utc(claimedBefore)),
                "claimed and never answered: its sender stopped or lost the database");
    }

    private int inDoubt(Condition which, String why) {
        try {
            return dsl.update(NOTIFICATION_OUTBOX)
                    .set(NOTIFICATION_OUTBOX.STATE, IN_DOUBT)
                    .set(NOTIFICATION_OUTBOX.LAST_ERROR, shortened(why))
                    .where(NOTIFICATION_OUTBOX.STATE.eq(SUBMITTING))
                    .and(which)
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("unanswered notices could not be marked in doubt", e);
        }
    }

    @Override
    public void recordReceipt(String messageId, String state, String error, Instant receivedAt) {
        try {
            dsl.transaction(tx -> {
                tx.dsl()
                        .insertInto(SMS_DELIVERY_RECEIPT)
                        .set(SMS_DELIVERY_RECEIPT.SMSC_MESSAGE_ID, messageId)
                        .set(SMS_DELIVERY_RECEIPT.STATE, state)
                        .set(SMS_DELIVERY_RECEIPT.ERROR, error)
                        .set(SMS_DELIVERY_RECEIPT.RECEIVED_AT, utc(receivedAt))
                        .execute();
                tx.dsl()
                        .update(NOTIFICATION_OUTBOX)
                        .set(NOTIFICATION_OUTBOX.RECEIPT_STATE, state)
                        .set(NOTIFICATION_OUTBOX.RECEIPT_ERROR, error)
                        .set(NOTIFICATION_OUTBOX.RECEIPT_AT, utc(receivedAt))
                        .where(NOTIFICATION_OUTBOX.SMSC_MESSAGE_ID.eq(messageId))
                        .and(NOTIFICATION_OUTBOX.STATE.eq(SENT))
                        .execute();
            });
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the delivery receipt could not be recorded", e);
        }
    }

    @Override
    public Backlog backlog(Instant now) {
        Condition waiting = NOTIFICATION_OUTBOX.STATE.in(PENDING, SUBMITTING);
        try {
            var row = dsl.select(
                            DSL.min(NOTIFICATION_OUTBOX.CREATED_AT).filterWhere(waiting),
                            DSL.count().filterWhere(waiting),
                            DSL.count().filterWhere(NOTIFICATION_OUTBOX.STATE.eq(IN_DOUBT)))
                    .from(NOTIFICATION_OUTBOX)
                    .where(NOTIFICATION_OUTBOX.KIND.eq(KIND))
                    .and(NOTIFICATION_OUTBOX.STATE.in(PENDING, SUBMITTING, IN_DOUBT))
                    .fetchOne();
            OffsetDateTime oldest = row.value1();
            Optional<Duration> age = Optional.ofNullable(oldest)
                    .map(created -> Duration.between(created.toInstant(), now))
                    .map(d -> d.isNegative() ? Duration.ZERO : d);
            return new Backlog(age, row.value2(), row.value3());
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the notice backlog could not be read", e);
        }
    }

    /** A notice in doubt as the operator sees it. */
    public record InDoubt(long id, String phoneE164, Instant createdAt, Instant claimedAt, String lastError) {}

    /** The notices in doubt, oldest first (for the operator's command). */
    public List<InDoubt> inDoubt() {
        return dsl.selectFrom(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.STATE.eq(IN_DOUBT))
                .orderBy(NOTIFICATION_OUTBOX.CREATED_AT, NOTIFICATION_OUTBOX.ID)
                .fetch()
                .map(row -> new InDoubt(
                        row.getId(),
                        row.getPhoneE164(),
                        row.getCreatedAt().toInstant(),
                        row.getClaimedAt() == null ? null : row.getClaimedAt().toInstant(),
                        row.getLastError()));
    }

    /**
     * The operator found the SMSC never took this notice (or accepts a second text): it is sent
     * again. False when the notice is not in doubt.
     */
    public boolean resend(long id) {
        return dsl.update(NOTIFICATION_OUTBOX)
                        .set(NOTIFICATION_OUTBOX.STATE, PENDING)
                        .setNull(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT)
                        .set(NOTIFICATION_OUTBOX.LAST_ERROR, "sent again by the operator after being in doubt")
                        .setNull(NOTIFICATION_OUTBOX.CLAIMED_BY)
                        .setNull(NOTIFICATION_OUTBOX.CLAIMED_AT)
                        .where(NOTIFICATION_OUTBOX.ID.eq(id))
                        .and(NOTIFICATION_OUTBOX.STATE.eq(IN_DOUBT))
                        .execute()
                == 1;
    }

    /**
     * The operator found the SMSC did take this notice: it is sent, as of its claim. False when the
     * notice is not in doubt.
     */
    public boolean settleAsSent(long id) {
        return dsl.update(NOTIFICATION_OUTBOX)
                        .set(NOTIFICATION_OUTBOX.STATE, SENT)
                        .set(NOTIFICATION_OUTBOX.SENT_AT, NOTIFICATION_OUTBOX.CLAIMED_AT)
                        .set(NOTIFICATION_OUTBOX.LAST_ERROR, "confirmed sent by the operator after being in doubt")
                        .where(NOTIFICATION_OUTBOX.ID.eq(id))
                        .and(NOTIFICATION_OUTBOX.STATE.eq(IN_DOUBT))
                        .execute()
                == 1;
    }

    /** The state of a notice, if it exists. */
    public Optional<String> state(long id) {
        return dsl.select(NOTIFICATION_OUTBOX.STATE)
                .from(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.ID.eq(id))
                .fetchOptional(NOTIFICATION_OUTBOX.STATE);
    }

    private static Condition ours(long id, String instance) {
        return NOTIFICATION_OUTBOX.ID.eq(id).and(NOTIFICATION_OUTBOX.CLAIMED_BY.eq(instance));
    }

    private static String shortened(String error) {
        return error == null || error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH);
    }
}
