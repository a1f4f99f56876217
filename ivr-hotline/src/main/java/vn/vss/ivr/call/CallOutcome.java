package vn.vss.ivr.call;

import java.util.Locale;

/** How a call ended, as recorded and counted. */
public enum CallOutcome {
    /** The caller heard the new password in full at least once; it is now in force. */
    PASSWORD_HEARD,
    /** Verified, but the caller hung up before hearing the whole password; the old one stays. */
    HUNG_UP_DURING_PASSWORD,
    /** Code and number did not match, were not registered, or a limit applied (one answer for all). */
    NOT_VERIFIED,
    /** No valid code after every try. */
    NO_VALID_CODE,
    /** Verified; the caller was promised a call back on the registered number (call-back mode). */
    CALL_BACK_PROMISED,
    /** A call-back leg on which the citizen did not press 1 (or whose request was not valid): nothing changed. */
    CALL_BACK_DECLINED,
    /** The caller hung up before a result. */
    HUNG_UP,
    /** A part the call depends on failed. */
    SERVICE_UNAVAILABLE,
    /** The call reached the maximum duration. */
    MAX_DURATION,
    /**
     * The app stopped under the call: either ended politely by a drain that reached its limit
     * ("the service is restarting"), or still open after a crash and closed at the next start (or by
     * another instance, once the crashed one's lease has expired).
     */
    INTERRUPTED,
    /**
     * Asterisk answered, but the caller left the hotline's menu before branch 8 or 9 (hung up,
     * pressed a wrong key or none); reported by the dialplan's hang-up handler.
     */
    ENDED_IN_MENU;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
