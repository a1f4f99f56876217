package vn.vss.ivr.call;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a caller proves the number is theirs ({@code IVR_VERIFICATION_MODE}). Caller ID can be forged
 * through a careless VoIP provider; a call back to the registered number cannot, because only the
 * citizen's own line answers it.
 */
public enum VerificationMode {
    /** The calling number is believed: the password is read on the same call. */
    CALLER_ID("caller-id"),
    /** Every verified caller is called back on the registered number, where the password is read. */
    CALL_BACK("call-back"),
    /** Calls from the trunks listed as untrusted are called back; the others are served by caller ID. */
    CALL_BACK_UNTRUSTED("call-back-untrusted");

    private final String setting;

    VerificationMode(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static VerificationMode fromSetting(String text) {
        for (VerificationMode mode : values()) {
            if (mode.setting.equals(text.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("must be caller-id, call-back or call-back-untrusted");
    }

    /**
     * Whether a call from {@code trunk} (as the dialplan named it; empty when it did not) is served by
     * call-back. A call whose trunk is unknown counts as untrusted.
     */
    public boolean callsBack(Optional<String> trunk, Set<String> untrustedTrunks) {
        return switch (this) {
            case CALLER_ID -> false;
            case CALL_BACK -> true;
            case CALL_BACK_UNTRUSTED -> trunk.isEmpty() || untrustedTrunks.contains(trunk.get());
        };
    }
}
