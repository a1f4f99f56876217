package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.TransactionalCallable;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;

/**
 * Subscribers in PostgreSQL. Each verification runs in one transaction holding the subscriber's row
 * lock, so two simultaneous calls for one code are decided one after the other.
 */
public final class JooqSubscriberDirectory implements SubscriberDirectory {
    static final String RESET_COMMITTED = "password_reset";
    /** The outbox notice: "your VssID password was reset by phone; if it was not you, call us". */
    static final String NOTICE_RESET_BY_PHONE = "password_reset_by_phone";

    private static final String WITHHELD = "withheld";

    private final DSLContext dsl;
    private final RateLimitPolicy policy;

    public JooqSubscriberDirectory(DSLContext dsl, RateLimitPolicy policy) {
        this.dsl = dsl;
        this.policy = policy;
    }

    @Override
    public Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        try {
            return inOneConnection(tx -> decide(tx.dsl(), code, caller, call, now));
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("verification failed in the database", e);
        }
    }

    private Verdict decide(DSLContext tx, BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        String callerKey = caller.map(PhoneNumber::e164).orElse(WITHHELD);
        if (recentFailures(tx, callerKey, now) >= policy.maxFailuresPerCaller()) {
            return Verdict.CALLER_BLOCKED;
        }
        SubscriberRecord subscriber = tx.selectFrom(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code.digits()))
                .forUpdate()
                .fetchOne();
        Verdict verdict = judge(tx, subscriber, caller, call, now);
        if (verdict == Verdict.MATCH) {
            subscriber.setConsecutiveFailures(0);
            subscriber.setReservedByCall(call.id());
            subscriber.setReservedUntil(utc(now.plus(policy.reservationLifetime())));
            subscriber.setUpdatedAt(utc(now));
            subscriber.store();
        } else if (verdict != Verdict.RESET_LIMIT_REACHED && verdict != Verdict.RESET_IN_PROGRESS) {
            recordFailure(tx, callerKey, verdict, now);
            if (subscriber != null && verdict != Verdict.CODE_LOCKED) {
                countFailureAgainstCode(subscriber, now);
            }
        }
        return verdict;
    }

    private Verdict judge(
            DSLContext tx, SubscriberRecord subscriber, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        if (subscriber == null) {
            return Verdict.UNKNOWN_CODE;
        }
        if (subscriber.getLockedUntil() != null
                && subscriber.getLockedUntil().toInstant().isAfter(now)) {
            return Verdict.CODE_LOCKED;
        }
        if (caller.isEmpty()) {
            return Verdict.NO_CALLER_ID;
        }
        if (!subscriber.getPhoneE164().equals(caller.get().e164())) {
            return Verdict.WRONG_NUMBER;
        }
        if (recentResets(tx, subscriber.getBhxhCode(), now) >= policy.maxResetsPerCode()) {
            return Verdict.RESET_LIMIT_REACHED;
        }
        boolean heldByAnotherCall = subscriber.getReservedByCall() != null
                && !subscriber.getReservedByCall().equals(call.id())
                && subscriber.getReservedUntil() != null
                && subscriber.getReservedUntil().toInstant().isAfter(now);
        return heldByAnotherCall ? Verdict.RESET_IN_PROGRESS : Verdict.MATCH;
    }

    private int recentFailures(DSLContext tx, String callerKey, Instant now) {
        return tx.fetchCount(
                VERIFICATION_FAILURE,
                VERIFICATION_FAILURE
                        .CALLER_KEY
                        .eq(callerKey)
                        .and(VERIFICATION_FAILURE.OCCURRED_AT.gt(utc(now.minus(policy.callerWindow())))));
    }

    private int recentResets(DSLContext tx, String code, Instant now) {
        return tx.fetchCount(
                RESET_EVENT,
                RESET_EVENT
                        .BHXH_CODE
                        .eq(code)
                        .and(RESET_EVENT.KIND.eq(RESET_COMMITTED))
                        .and(RESET_EVENT.OCCURRED_AT.gt(utc(now.minus(policy.resetWindow())))));
    }

    private static void recordFailure(DSLContext tx, String callerKey, Verdict verdict, Instant now) {
        tx.insertInto(VERIFICATION_FAILURE)
                .set(VERIFICATION_FAILURE.CALLER_KEY, callerKey)
                .set(VERIFICATION_FAILURE.REASON, verdict.label())
                .set(VERIFICATION_FAILURE.OCCURRED_AT, utc(now))
                .execute();
    }

    /** Ten failures in a row, from whatever numbers, lock the code for a while. */
    private void countFailureAgainstCode(SubscriberRecord subscriber, Instant now) {
        int failures = subscriber.getConsecutiveFailures() + 1;
        if (failures >= policy.failuresBeforeCodeLock()) {
            subscriber.setLockedUntil(utc(now.plus(policy.codeLockDuration())));
            failures = 0;
        }
        subscriber.setConsecutiveFailures(failures);
        subscriber.setUpdatedAt(utc(now));
        subscriber.store();
    }

    @Override
    public boolean commitReset(BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now) {
        try {
            return inOneConnection(tx -> {
                int updated = tx.dsl()
                        .update(SUBSCRIBER)
                        .set(SUBSCRIBER.PASSWORD_HASH, passwordHash)
                        .set(SUBSCRIBER.MUST_CHANGE_PASSWORD, true)
                        .set(SUBSCRIBER.PASSWORD_EXPIRES_AT, utc(expiresAt))
                        .setNull(SUBSCRIBER.RESERVED_BY_CALL)
                        .setNull(SUBSCRIBER.RESERVED_UNTIL)
                        .set(SUBSCRIBER.UPDATED_AT, utc(now))
                        .where(SUBSCRIBER.BHXH_CODE.eq(code.digits()))
                        .and(SUBSCRIBER.RESERVED_BY_CALL.eq(call.id()))
                        .execute();
                if (updated != 1) {
                    return false;
                }
                tx.dsl()
                        .insertInto(
                                NOTIFICATION_OUTBOX,
                                NOTIFICATION_OUTBOX.BHXH_CODE,
                                NOTIFICATION_OUTBOX.PHONE_E164,
                                NOTIFICATION_OUTBOX.KIND,
                                NOTIFICATION_OUTBOX.CREATED_AT)
                        .select(DSL.select(
                                        SUBSCRIBER.BHXH_CODE,
                                        SUBSCRIBER.PHONE_E164,
                                        DSL.inline(NOTICE_RESET_BY_PHONE),
                                        DSL.val(utc(now)))
                                .from(SUBSCRIBER)
                                .where(SUBSCRIBER.BHXH_CODE.eq(code.digits())))
                        .execute();
                tx.dsl()
                        .insertInto(RESET_EVENT)
                        .set(RESET_EVENT.CALL_ID, call.id())
                        .set(RESET_EVENT.BHXH_CODE, code.digits())
                        .set(RESET_EVENT.KIND, RESET_COMMITTED)
                        .set(RESET_EVENT.OCCURRED_AT, utc(now))
                        .execute();
                return true;
            });
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the new password could not be stored", e);
        }
    }

    @Override
    public void releaseReservation(BhxhCode code, CallRef call) {
        try {
            dsl.update(SUBSCRIBER)
                    .setNull(SUBSCRIBER.RESERVED_BY_CALL)
                    .setNull(SUBSCRIBER.RESERVED_UNTIL)
                    .where(SUBSCRIBER.BHXH_CODE.eq(code.digits()))
                    .and(SUBSCRIBER.RESERVED_BY_CALL.eq(call.id()))
                    .execute();
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the reservation could not be released", e);
        }
    }

    /**
     * A transaction on one connection taken from the pool once. (Letting jOOQ take it showed three
     * pool waits in a row when the database was down: 6 s instead of 2 before the caller hears why.)
     */
    private <T> T inOneConnection(TransactionalCallable<T> work) {
        return dsl.connectionResult(connection -> dsl.configuration()
                .derive(new DefaultConnectionProvider(connection))
                .dsl()
                .transactionResult(work));
    }

    /** Number of codes in the directory (for start-up logs and tests). */
    public int count() {
        return dsl.fetchCount(SUBSCRIBER);
    }

    static boolean exists(DSLContext dsl, String code) {
        return dsl.fetchExists(DSL.selectOne().from(SUBSCRIBER).where(SUBSCRIBER.BHXH_CODE.eq(code)));
    }
}
