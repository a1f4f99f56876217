package vn.vss.ivr.call;

import java.time.Instant;

/**
 * The calls of the last hour on every instance of the hotline, as the database recorded them, for the
 * supervisor: counted by minute and by instance, never call by call.
 */
public interface RecentCalls {
    /**
     * The hour up to {@code now}: the minute of {@code now} and the 59 before it.
     *
     * @throws ServiceUnavailableException when the database does not answer
     */
    LastHour lastHour(Instant now);
}
