package vn.vss.ivr.call;

/** The call has lasted the maximum allowed time: it is ended politely, its charges capped. */
public class MaxDurationReachedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MaxDurationReachedException() {
        super("maximum call duration reached", null, false, false);
    }
}
