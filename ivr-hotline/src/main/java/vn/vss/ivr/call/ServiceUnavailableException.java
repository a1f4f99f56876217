package vn.vss.ivr.call;

/**
 * A part the call depends on (database, hashing, audio) failed. The caller hears "temporarily
 * unavailable", no password changes, and the call record and charges are kept.
 */
public class ServiceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String what, Throwable cause) {
        super(what, cause);
    }
}
