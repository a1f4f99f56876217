package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.math.BigDecimal;
import java.time.Instant;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;

/** Call records in PostgreSQL. A record's totals are computed from its charge lines, never kept apart. */
public final class JooqCallRecords implements CallRecords {
    private final DSLContext dsl;
    private final String instanceId;

    public JooqCallRecords(DSLContext dsl, String instanceId) {
        this.dsl = dsl;
        this.instanceId = instanceId;
    }

    @Override
    public void open(CallRef call, CallStart start) {
        try {
            dsl.insertInto(CALL)
                    .set(CALL.ID, call.id())
                    .set(CALL.INSTANCE_ID, instanceId)
                    .set(CALL.ASTERISK_UNIQUEID, start.asteriskUniqueId())
                    .set(CALL.CALLER_ID_RECEIVED, start.callerIdReceived())
                    .set(
                            CALL.CALLER_ID_E164,
                            start.callerNumber().map(n -> n.e164()).orElse(null))
                    .set(CALL.LANGUAGE, start.language().code())
                    .set(CALL.STARTED_AT, utc(start.startedAt()))
                    .set(CALL.CALL_BACK, start.callBackLeg().isPresent())
                    .onConflictDoNothing()
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the call record could not be opened", e);
        }
    }

    /**
     * Closes the calls this instance left open when it stopped abruptly: outcome "interrupted",
     * ended at the last moment the app is known to have handled them, billed for the minutes that
     * had started. The codes those calls had reserved are released with them, so that a citizen cut
     * off by the crash can call back at once. Run at start-up, before any call is taken.
     *
     * @return the number of calls closed
     */
    public int closeLeftOpen() {
        try {
            return dsl.transactionResult(
                    tx -> closeLeftOpenBy(tx.dsl(), instanceId).calls());
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("open calls could not be closed", e);
        }
    }

    /** What closing an instance's open calls did: calls closed, codes released. */
    public record LeftOpen(int calls, int codes) {}

    /**
     * Closes the open calls of {@code instance} as {@link #closeLeftOpen()} does, inside the caller's
     * transaction {@code tx}: at its own start, or when another instance takes over a dead one.
     */
    static LeftOpen closeLeftOpenBy(DSLContext tx, String instance) {
        int codes = releaseReservationsOfOpenCalls(tx, instance);
        return new LeftOpen(closeOpenCalls(tx, instance), codes);
    }

    private static int releaseReservationsOfOpenCalls(DSLContext tx, String instance) {
        return tx.update(SUBSCRIBER)
                .setNull(SUBSCRIBER.RESERVED_BY_CALL)
                .setNull(SUBSCRIBER.RESERVED_UNTIL)
                .where(SUBSCRIBER.RESERVED_BY_CALL.in(DSL.select(CALL.ID)
                        .from(CALL)
                        .where(CALL.INSTANCE_ID.eq(instance))
                        .and(CALL.ENDED_AT.isNull())))
                .execute();
    }

    private static int closeOpenCalls(DSLContext tx, String instance) {
        var lastMinute = DSL.select(DSL.max(CHARGE_LINE.MINUTE_STARTED_AT))
                .from(CHARGE_LINE)
                .where(CHARGE_LINE.CALL_ID.eq(CALL.ID))
                .asField();
        return tx.update(CALL)
                .set(CALL.OUTCOME, CallOutcome.INTERRUPTED.label())
                .set(CALL.INPUT_METHOD, DSL.coalesce(CALL.INPUT_METHOD, DSL.inline("none")))
                .set(
                        CALL.ENDED_AT,
                        DSL.greatest(
                                CALL.STARTED_AT,
                                DSL.coalesce(CALL.ANSWERED_AT, CALL.STARTED_AT),
                                DSL.coalesce(lastMinute, CALL.STARTED_AT)))
                .set(
                        CALL.BILLED_MINUTES,
                        DSL.select(DSL.count()).from(CHARGE_LINE).where(CHARGE_LINE.CALL_ID.eq(CALL.ID)))
                .set(
                        CALL.CHARGED_VND,
                        DSL.select(DSL.coalesce(DSL.sum(CHARGE_LINE.AMOUNT_VND), BigDecimal.ZERO)
                                        .cast(Long.class))
                                .from(CHARGE_LINE)
                                .where(CHARGE_LINE.CALL_ID.eq(CALL.ID)))
                .where(CALL.INSTANCE_ID.eq(instance))
                .and(CALL.ENDED_AT.isNull())
                .execute();
    }

    @Override
    public void answered(CallRef call, Instant answeredAt) {
        try {
            dsl.update(CALL)
                    .set(CALL.ANSWERED_AT, utc(answeredAt))
                    .where(CALL.ID.eq(call.id()))
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the call record could not be updated", e);
        }
    }

    @Override
    public void close(CallRef call, CallSummary summary) {
        try {
            dsl.update(CALL)
                    .set(CALL.ENDED_AT, utc(summary.endedAt()))
                    .set(CALL.OUTCOME, summary.outcome().label())
                    .set(CALL.INPUT_METHOD, summary.inputMethod().label())
                    .set(CALL.CODE_TRIES, summary.codeTries())
                    .set(
                            CALL.BILLED_MINUTES,
                            DSL.select(DSL.count()).from(CHARGE_LINE).where(CHARGE_LINE.CALL_ID.eq(call.id())))
                    .set(
                            CALL.CHARGED_VND,
                            DSL.select(DSL.coalesce(DSL.sum(CHARGE_LINE.AMOUNT_VND), BigDecimal.ZERO)
                                            .cast(Long.class))
                                    .from(CHARGE_LINE)
                                    .where(CHARGE_LINE.CALL_ID.eq(call.id())))
                    .where(CALL.ID.eq(call.id()))
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("the call record could not be closed", e);
        }
    }
}
