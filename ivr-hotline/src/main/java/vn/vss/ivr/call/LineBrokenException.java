package vn.vss.ivr.call;

/**
 * The line to the caller broke: the other end stopped speaking the protocol. The call cannot go
 * on; it ends as if the caller had hung up, and the bookkeeping runs as usual.
 */
public class LineBrokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LineBrokenException(String message) {
        super(message, null, false, false);
    }
}
