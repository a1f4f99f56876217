package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import vn.vss.ivr.call.PhoneNumber;

/**
 * What the hotline recorded about the calls from one number, read back for the call tests: the call
 * rows, their charge lines and the password resets of a code. Read only.
 */
public final class RecordedCalls {
    /**
     * One call as recorded: {@code outcome}, {@code inputMethod} and {@code billedMinutes} are null
     * while the call is still open; {@code chargeLines} counts its rows in charge_line.
     */
    public record RecordedCall(
            UUID id,
            Instant startedAt,
            Instant endedAt,
            String outcome,
            String inputMethod,
            Integer billedMinutes,
            int chargeLines) {
        public boolean ended() {
            return endedAt != null;
        }
    }

    /** One committed password reset of a code: when, and by which call. */
    public record PasswordReset(UUID callId, Instant occurredAt) {}

    private final DSLContext dsl;

    public RecordedCalls(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The calls from {@code caller} that started at or after {@code since}, oldest first. */
    public List<RecordedCall> callsFrom(PhoneNumber caller, Instant since) {
        var lines = DSL.field(DSL.selectCount().from(CHARGE_LINE).where(CHARGE_LINE.CALL_ID.eq(CALL.ID)))
                .as("charge_lines");
        return dsl.select(
                        CALL.ID,
                        CALL.STARTED_AT,
                        CALL.ENDED_AT,
                        CALL.OUTCOME,
                        CALL.INPUT_METHOD,
                        CALL.BILLED_MINUTES,
                        lines)
                .from(CALL)
                .where(CALL.CALLER_ID_E164.eq(caller.e164()))
                .and(CALL.STARTED_AT.ge(utc(since)))
                .orderBy(CALL.STARTED_AT, CALL.ID)
                .fetch(r -> new RecordedCall(
                        r.value1(),
                        r.value2().toInstant(),
                        r.value3() == null ? null : r.value3().toInstant(),
                        r.value4(),
                        r.value5(),
                        r.value6(),
                        r.value7()));
    }

    /** The committed password resets of {@code code} at or after {@code since}, oldest first. */
    public List<PasswordReset> resetsOf(String code, Instant since) {
        return dsl.select(RESET_EVENT.CALL_ID, RESET_EVENT.OCCURRED_AT)
                .from(RESET_EVENT)
                .where(RESET_EVENT.BHXH_CODE.eq(code))
                .and(RESET_EVENT.KIND.eq(JooqSubscriberDirectory.RESET_COMMITTED))
                .and(RESET_EVENT.OCCURRED_AT.ge(utc(since)))
                .orderBy(RESET_EVENT.OCCURRED_AT, RESET_EVENT.ID)
                .fetch(r -> new PasswordReset(r.value1(), r.value2().toInstant()));
    }
}
