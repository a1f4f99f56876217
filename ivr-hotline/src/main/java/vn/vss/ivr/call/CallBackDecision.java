package vn.vss.ivr.call;

import java.util.Optional;

/**
 * The answer to a call-back request: an order to dial, or the reason there will be none (the caller
 * hears the same uniform answer as for any refusal).
 */
public record CallBackDecision(Optional<CallBackOrder> order, String refusal) {
    /** The code has no registered number the hotline may dial. */
    public static final String NOT_DIALLABLE = "not_diallable";
    /** The code had as many call-backs as it may have resets within the reset window. */
    public static final String CODE_LIMIT = "code_limit";
    /** The number was called back less than IVR_CALLBACK_GAP ago. */
    public static final String TOO_SOON = "too_soon";

    public static CallBackDecision accepted(CallBackOrder order) {
        return new CallBackDecision(Optional.of(order), "");
    }

    public static CallBackDecision refused(String reason) {
        return new CallBackDecision(Optional.empty(), reason);
    }
}
