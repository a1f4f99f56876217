package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALLBACK_REQUEST;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.CallBackDecision;
import vn.vss.ivr.call.CallBackId;
import vn.vss.ivr.call.CallBackLeg;
import vn.vss.ivr.call.CallBackNumber;
import vn.vss.ivr.call.CallBackOrder;
import vn.vss.ivr.call.CallBackRequests;
import vn.vss.ivr.call.CallBackResult;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * Call-back requests in PostgreSQL. A request is decided in one transaction holding the code's row
 * lock and a lock on the number, so two simultaneous callers for one code, or for two codes of one
 * number, cannot both get a call-back that the limits allow only once.
 */
public final class JooqCallBackRequests implements CallBackRequests {
    /** First key of the per-number advisory locks: a key space apart from the caller-ID locks. */
    private static final int NUMBER_LOCK_SPACE = 0x56535332;

    private final DSLContext dsl;
    private final int maxPerCode;
    private final Duration codeWindow;
    private final Duration gap;

    /**
     * @param maxPerCode call-backs per code within {@code codeWindow}: the resets a code may have
     * @param gap least time between two call-backs to one number
     */
    public JooqCallBackRequests(DSLContext dsl, int maxPerCode, Duration codeWindow, Duration gap) {
        this.dsl = dsl;
        this.maxPerCode = maxPerCode;
        this.codeWindow = codeWindow;
        this.gap = gap;
    }

    @Override
    public CallBackDecision request(BhxhCode code, CallRef requestedBy, Language language, Instant now) {
        try {
            return dsl.transactionResult(tx -> decide(tx.dsl(), code, requestedBy, language, now));
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the call-back could not be recorded", e);
        }
    }

    private CallBackDecision decide(DSLContext tx, BhxhCode code, CallRef requestedBy, Language language, Instant now) {
        Optional<String> registered = tx.select(SUBSCRIBER.PHONE_E164)
                .from(SUBSCRIBER)
                .where(SUBSCRIBER.BHXH_CODE.eq(code.digits()))
                .forUpdate()
                .fetchOptional(SUBSCRIBER.PHONE_E164);
        // The number comes from the directory; the caller's own number is not even looked at.
        Optional<PhoneNumber> number = registered.flatMap(CallBackNumber::diallable);
        if (number.isEmpty()) {
            return CallBackDecision.refused(CallBackDecision.NOT_DIALLABLE);
        }
        tx.select(DSL.field(
                        "pg_advisory_xact_lock({0}, hashtext({1}))",
                        Object.class,
                        DSL.inline(NUMBER_LOCK_SPACE),
                        DSL.val(number.get().e164())))
                .fetch();
        int forCode = tx.fetchCount(
                CALLBACK_REQUEST,
                CALLBACK_REQUEST
                        .BHXH_CODE
                        .eq(code.digits())
                        .and(CALLBACK_REQUEST.REQUESTED_AT.gt(utc(now.minus(codeWindow)))));
        if (forCode >= maxPerCode) {
            return CallBackDecision.refused(CallBackDecision.CODE_LIMIT);
        }
        boolean recent = tx.fetchExists(
                CALLBACK_REQUEST,
                CALLBACK_REQUEST
                        .PHONE_E164
                        .eq(number.get().e164())
                        .and(CALLBACK_REQUEST.REQUESTED_AT.gt(utc(now.minus(gap)))));
        if (recent) {
            return CallBackDecision.refused(CallBackDecision.TOO_SOON);
        }
        CallBackOrder order = new CallBackOrder(CallBackId.next(), number.get(), language);
        tx.insertInto(CALLBACK_REQUEST)
                .set(CALLBACK_REQUEST.ID, order.id().id())
                .set(CALLBACK_REQUEST.REQUESTED_BY_CALL, requestedBy.id())
                .set(CALLBACK_REQUEST.BHXH_CODE, code.digits())
                .set(CALLBACK_REQUEST.PHONE_E164, order.number().e164())
                .set(CALLBACK_REQUEST.LANGUAGE, language.code())
                .set(CALLBACK_REQUEST.REQUESTED_AT, utc(now))
                .execute();
        return CallBackDecision.accepted(order);
    }

    @Override
    public Optional<CallBackLeg> claim(CallBackId id, CallRef leg, Instant requestedAfter) {
        try {
            return dsl.update(CALLBACK_REQUEST)
                    .set(CALLBACK_REQUEST.LEG_CALL_ID, leg.id())
                    .where(CALLBACK_REQUEST.ID.eq(id.id()))
                    .and(CALLBACK_REQUEST.LEG_CALL_ID.isNull())
                    .and(CALLBACK_REQUEST.REQUESTED_AT.gt(utc(requestedAfter)))
                    .returning(CALLBACK_REQUEST.BHXH_CODE, CALLBACK_REQUEST.PHONE_E164)
                    .fetchOptional()
                    .flatMap(row -> CallBackNumber.diallable(row.getPhoneE164())
                            .map(number -> new CallBackLeg(id, new BhxhCode(row.getBhxhCode()), number)));
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the call-back request could not be read", e);
        }
    }

    @Override
    public void recordResult(CallBackId id, CallBackResult result, Instant now) {
        try {
            dsl.update(CALLBACK_REQUEST)
                    .set(CALLBACK_REQUEST.RESULT, result.label())
                    .set(CALLBACK_REQUEST.RESULT_AT, utc(now))
                    .where(CALLBACK_REQUEST.ID.eq(id.id()))
                    .and(CALLBACK_REQUEST.RESULT.eq("requested"))
                    .execute();
        } catch (DataAccessException e) {
            throw new ServiceUnavailableException("the call-back result could not be recorded", e);
        }
    }
}
