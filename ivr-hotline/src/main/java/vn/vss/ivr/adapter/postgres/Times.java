package vn.vss.ivr.adapter.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The schema stores timestamptz; jOOQ maps it to {@link OffsetDateTime}. */
final class Times {
    private Times() {}

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
