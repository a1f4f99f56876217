package vn.vss.ivr.call;

/** The caller has hung up: the call ends here, and only the bookkeeping in {@code finally} runs on. */
public class CallerHungUpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CallerHungUpException() {
        super("caller hung up", null, false, false);
    }
}
