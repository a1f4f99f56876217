package vn.vss.ivr.call;

import java.util.Locale;

/** What became of a call-back once Asterisk tried it (from its OriginateResponse event). */
public enum CallBackResult {
    /** The citizen's phone answered. */
    ANSWERED,
    /** The line was busy. */
    BUSY,
    /** It rang and nobody answered. */
    NO_ANSWER,
    /** The carrier or the dialplan refused the call. */
    REJECTED,
    /** Asterisk never said what happened within the ring time and a margin. */
    TIMED_OUT,
    /** Asterisk could not be asked (the manager connection failed). */
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
