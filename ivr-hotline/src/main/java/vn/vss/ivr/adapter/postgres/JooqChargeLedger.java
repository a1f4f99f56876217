package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.Times.utc;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.time.Instant;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.ChargeLedger;

/** Charge lines in PostgreSQL; the (call, minute) primary key makes a repeated write a no-op. */
public final class JooqChargeLedger implements ChargeLedger {
    private final DSLContext dsl;

    public JooqChargeLedger(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public void chargeMinute(CallRef call, int minute, long amountVnd, Instant minuteStartedAt) {
        try {
            dsl.insertInto(CHARGE_LINE)
                    .set(CHARGE_LINE.CALL_ID, call.id())
                    .set(CHARGE_LINE.MINUTE, minute)
                    .set(CHARGE_LINE.AMOUNT_VND, Math.toIntExact(amountVnd))
                    .set(CHARGE_LINE.MINUTE_STARTED_AT, utc(minuteStartedAt))
                    .onConflictDoNothing()
                    .execute();
        } catch (DataAccessException e) {
            throw DatabaseFailures.of("a charge line could not be written", e);
        }
    }
}
