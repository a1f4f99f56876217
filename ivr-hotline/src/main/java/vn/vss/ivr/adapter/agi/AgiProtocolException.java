package vn.vss.ivr.adapter.agi;

import vn.vss.ivr.call.LineBrokenException;

/** Asterisk's side of the conversation broke the protocol; the call cannot go on safely. */
final class AgiProtocolException extends LineBrokenException {
    private static final long serialVersionUID = 1L;

    AgiProtocolException(String message) {
        super(message);
    }
}
