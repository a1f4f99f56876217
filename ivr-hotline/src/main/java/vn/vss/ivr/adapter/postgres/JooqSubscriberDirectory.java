package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALLER_BLOCK;
import static vn.vss.ivr.adapter.postgres.schema.Tables.NOTIFICATION_OUTBOX;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;
import static vn.vss.ivr.adapter.postgres.schema.Tables.VERIFICATION_FAILURE;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.TransactionalCallable;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import vn.vss.ivr.adapter.postgres.schema.tables.records.SubscriberRecord;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.RateLimitPolicy;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SubscriberDirectory;
import vn.vss.ivr.call.Verdict;
import vn.vss.ivr.call.VerificationRules;
import vn.vss.ivr.call.VerificationRules.CodeState;

/**
 * Subscribers in PostgreSQL. Each verification runs in one transaction holding a lock on the caller
 * ID and the subscriber's row lock, so simultaneous calls from one number, or for one code, are
 * decided one after the other; {@link VerificationRules} decides, this class reads and stores.
 */
public final class JooqSubscriberDirectory implements SubscriberDirectory {
    static final String RESET_COMMITTED = "password_reset";
    /** The outbox notice: "your VssID password was reset by phone; if it was not you, call us". */
    static final String NOTICE_RESET_BY_PHONE = "password_reset_by_phone";

    private static final String WITHHELD = "withheld";
    /**
     * First key of the per-caller advisory locks. The two-key form has a key space of its own, apart
     * from single-key advisory locks such as Flyway's; this key keeps it apart from any other use.
     */
    private static final int CALLER_LOCK_SPACE = 0x56535331;

    private final DSLContext dsl;
    private final RateLimitPolicy policy;
    private final VerificationRules rules;

    public JooqSubscriberDirectory(DSLContext dsl, RateLimitPolicy policy) {
        this.dsl = dsl;
        this.policy = policy;
        this.rules = new VerificationRules(policy);
    }

    @Override
    public Verdict verifyAndReserve(BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        try {
            return inOneConnection(tx -> decide(tx.dsl(), code, caller, call, now));
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("verification failed in the database", e);
        }
    }

    /**
     * Reads what the rules need under the caller's lock and the code's row lock, asks them, and
     * stores what they decided: all in the transaction of {@code tx}.
     */
    private Verdict decide(DSLContext tx, BhxhCode code, Optional<PhoneNumber> caller, CallRef call, Instant now) {
        String callerKey = caller.map(PhoneNumber::e164).orElse(WITHHELD);
        lockCaller(tx, callerKey);
        Optional<Verdict> refused =
                rules.beforeLookup(isBlocked(tx, callerKey, now), () -> hotlineFailuresLastMinute(tx, now));
        if (refused.isPresent()) {
            return refused.get();
        }
        SubscriberRecord subscriber = tx.selectFrom(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code.digits()))
                .forUpdate()
                .fetchOne();
        Optional<CodeState> state = Optional.ofNullable(subscriber).map(JooqSubscriberDirectory::codeState);
        Verdict verdict = rules.judge(state, caller, call, now, () -> recentResets(tx, code.digits(), now));
        if (VerificationRules.isFailure(verdict)) {
            recordFailure(tx, callerKey, verdict, now);
            rules.blockCallerUntil(recentFailures(tx, callerKey, now), now)
                    .ifPresent(until -> blockCaller(tx, callerKey, until));
        }
        rules.codeAfter(verdict, state, call, now).ifPresent(after -> store(subscriber, after, now));
        return verdict;
    }

    private static CodeState codeState(SubscriberRecord subscriber) {
        return new CodeState(
                subscriber.getPhoneE164(),
                instant(subscriber.getLockedUntil()),
                subscriber.getReservedByCall(),
                instant(subscriber.getReservedUntil()),
                subscriber.getConsecutiveFailures());
    }

    /** Writes the fields the rules changed, and when. */
    private static void store(SubscriberRecord subscriber, CodeState after, Instant now) {
        if (!Objects.equals(instant(subscriber.getLockedUntil()), after.lockedUntil())) {
            subscriber.setLockedUntil(utc(after.lockedUntil()));
        }
        if (subscriber.getConsecutiveFailures() != after.consecutiveFailures()) {
            subscriber.setConsecutiveFailures(after.consecutiveFailures());
        }
        if (!Objects.equals(subscriber.getReservedByCall(), after.reservedByCall())) {
            subscriber.setReservedByCall(after.reservedByCall());
        }
        if (!Objects.equals(instant(subscriber.getReservedUntil()), after.reservedUntil())) {
            subscriber.setReservedUntil(utc(after.reservedUntil()));
        }
        subscriber.setUpdatedAt(utc(now));
        subscriber.store();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /**
     * Decisions for one caller ID are taken one at a time. Without this, simultaneous calls from one
     * number with different codes would each count the failures before any of them was written, and
     * all would get a lookup. The lock is released when the transaction ends; two caller IDs whose
     * keys collide merely wait for each other.
     */
    private static void lockCaller(DSLContext tx, String callerKey) {
        tx.fetch("select pg_advisory_xact_lock({0}, hashtext({1}))", DSL.inline(CALLER_LOCK_SPACE), DSL.val(callerKey));
    }

    private static boolean isBlocked(DSLContext tx, String callerKey, Instant now) {
        return tx.fetchExists(
                CALLER_BLOCK, CALLER_BLOCK.CALLER_KEY.eq(callerKey).and(CALLER_BLOCK.BLOCKED_UNTIL.gt(utc(now))));
    }

    /**
     * Failed verifications on the whole hotline in the last minute, from every instance sharing this
     * database, counted only up to the ceiling (a scan of at most that many index entries).
     */
    private int hotlineFailuresLastMinute(DSLContext tx, Instant now) {
        return tx.fetchCount(DSL.selectOne()
                .from(VERIFICATION_FAILURE)
                .where(VERIFICATION_FAILURE.OCCURRED_AT.gt(utc(now.minus(Duration.ofMinutes(1)))))
                .limit(policy.maxFailuresPerMinute()));
    }

    private static void blockCaller(DSLContext tx, String callerKey, Instant until) {
        tx.insertInto(CALLER_BLOCK)
                .set(CALLER_BLOCK.CALLER_KEY, callerKey)
                .set(CALLER_BLOCK.BLOCKED_UNTIL, utc(until))
                .onConflict(CALLER_BLOCK.CALLER_KEY)
                .doUpdate()
                .set(CALLER_BLOCK.BLOCKED_UNTIL, utc(until))
                .execute();
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

    /**
     * The reservation is kept: the caller is still on the line hearing the password again, and a
     * second call for the code must be refused until this one ends and releases it (or it lapses at
     * reserved_until, one lease after its last renewal, should the release be lost).
     */
    @Override
    public boolean commitReset(BhxhCode code, CallRef call, String passwordHash, Instant expiresAt, Instant now) {
        try {
            return inOneConnection(tx -> {
                int updated = tx.dsl()
                        .update(SUBSCRIBER)
                        .set(SUBSCRIBER.PASSWORD_HASH, passwordHash)
                        .set(SUBSCRIBER.MUST_CHANGE_PASSWORD, true)
                        .set(SUBSCRIBER.PASSWORD_EXPIRES_AT, utc(expiresAt))
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
    public boolean resetCommittedBy(CallRef call) {
        try {
            return dsl.fetchExists(
                    RESET_EVENT, RESET_EVENT.CALL_ID.eq(call.id()).and(RESET_EVENT.KIND.eq(RESET_COMMITTED)));
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the reset could not be looked up", e);
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
     * Extends the reservations of these calls, still on the line, to one lease from {@code now}. A
     * reservation already released, or taken over by another call after it lapsed, is left alone.
     */
    public void renewReservations(Set<CallRef> calls, Instant now) {
        try {
            dsl.update(SUBSCRIBER)
                    .set(SUBSCRIBER.RESERVED_UNTIL, utc(now.plus(policy.reservationLifetime())))
                    .where(SUBSCRIBER.RESERVED_BY_CALL.in(
                            calls.stream().map(CallRef::id).toList()))
                    .execute();
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the reservations could not be renewed", e);
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
