package vn.vss.ivr.hotline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.adapter.postgres.JooqCallRecords;
import vn.vss.ivr.adapter.spool.SpooledCallStore;

/**
 * After a crash or a database outage: first the spooled events reach the database, then the calls
 * this instance left open are closed as interrupted, with the minutes that had started.
 */
final class CrashRecovery {
    private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);

    private CrashRecovery() {}

    static void recoverFromAnEarlierStop(SpooledCallStore spool, JooqCallRecords records) {
        int replayed = spool.replay();
        int closed = records.closeLeftOpen();
        if (replayed > 0 || closed > 0) {
            log.warn(
                    "recovered from an earlier stop: {} spooled event(s) written, {} open call(s) closed as interrupted",
                    replayed,
                    closed);
        }
    }
}
