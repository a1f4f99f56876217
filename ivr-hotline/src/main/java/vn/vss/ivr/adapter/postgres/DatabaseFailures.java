package vn.vss.ivr.adapter.postgres;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jooq.exception.DataAccessException;
import vn.vss.ivr.call.RecordRefusedException;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * Tells a database that is down or slow (try again later) from one that refuses a write for what it
 * holds (trying again never helps). The spool keeps the first kind and sets the second aside, so one
 * bad event cannot hold back every event behind it.
 */
final class DatabaseFailures {
    private DatabaseFailures() {}

    /** The exception a store throws for a failed statement. */
    static ServiceUnavailableException of(String what, DataAccessException e) {
        if (isTransient(e)) {
            return new ServiceUnavailableException(what, e);
        }
        return new RecordRefusedException(what, sqlState(e), e);
    }

    /**
     * Connection failures (class 08), the server shutting down or not yet accepting connections
     * (57P01-57P03), lack of resources (class 53), a statement cancelled by its time limit (57014),
     * and a deadlock or serialization failure (40001, 40P01) all pass. So does a failure without any
     * SQLSTATE (the pool timing out, a socket error): the server never judged the statement. So does
     * a server that is read-only (25006): during a switch-over the address may still lead to the old
     * primary, now a standby, or to a replica; the write waits for the new primary.
     */
    static boolean isTransient(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
        }
        String state = sqlState(e);
        return state == null
                || state.startsWith("08")
                || state.startsWith("57P0")
                || state.startsWith("53")
                || state.equals("57014")
                || state.equals("25006")
                || state.equals("40001")
                || state.equals("40P01");
    }

    /** The SQLSTATE of the first SQL exception in the cause chain, or null when none has one. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
