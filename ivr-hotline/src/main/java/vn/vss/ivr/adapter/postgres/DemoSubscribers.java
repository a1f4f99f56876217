package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/** A few made-up subscribers for the embedded default, so a simulated call has someone to find. */
public final class DemoSubscribers {
    /** Registered to 0912345678. */
    public static final String CODE = "0123456789";

    public static final String PHONE = "+84912345678";

    private DemoSubscribers() {}

    public static void seedIfEmpty(DSLContext dsl) {
        if (dsl.fetchCount(SUBSCRIBER) > 0) {
            return;
        }
        dsl.insertInto(SUBSCRIBER, SUBSCRIBER.BHXH_CODE, SUBSCRIBER.PHONE_E164, SUBSCRIBER.LOCKED_UNTIL)
                .values(CODE, PHONE, null)
                .values("0987654321", "+84987654321", null)
                .values("7912345678", "+842439998888", null)
                .values("1111111111", "+84911111111", OffsetDateTime.of(2099, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .execute();
    }
}
