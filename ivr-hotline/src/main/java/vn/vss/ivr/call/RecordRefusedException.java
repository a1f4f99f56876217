package vn.vss.ivr.call;

/**
 * The database answered, and refused this one write for what it holds (a broken constraint, a value
 * out of range), not because it is unreachable or slow: the same write will be refused again, so
 * trying it later helps nothing. Callers that only care whether the service is up can treat it as
 * any other {@link ServiceUnavailableException}.
 */
public final class RecordRefusedException extends ServiceUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** {@code reason} is the database's code for the refusal (an SQLSTATE); it never holds data. */
    public RecordRefusedException(String what, String reason, Throwable cause) {
        super(what, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
