package vn.vss.ivr.call;

import java.util.function.Consumer;

/** Asks the telephone system to place a call-back; returns at once, the result comes later. */
public interface CallBackDialer {
    /** Places the call once (never again for this order); {@code onResult} hears how it went, once. */
    void dial(CallBackOrder order, Consumer<CallBackResult> onResult);
}
