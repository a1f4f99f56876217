package vn.vss.ivr.adapter.agi;

/** Asterisk's side of the conversation broke the protocol; the call cannot go on safely. */
final class AgiProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AgiProtocolException(String message) {
        super(message);
    }
}
