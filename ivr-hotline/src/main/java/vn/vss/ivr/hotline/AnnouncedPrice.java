package vn.vss.ivr.hotline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Callers must pay the price they are told: the welcome prompt names it, the setting bills it. */
final class AnnouncedPrice {
    private static final Logger log = LoggerFactory.getLogger(AnnouncedPrice.class);

    /** The price callers hear in the welcome prompt, in both languages. */
    static final long PER_MINUTE_VND = 1_000;

    private AnnouncedPrice() {}

    static void warnIfBilledDifferently(long pricePerMinuteVnd) {
        if (pricePerMinuteVnd != PER_MINUTE_VND) {
            log.warn(
                    "IVR_PRICE_PER_MINUTE_VND is {} but the welcome prompt announces {} VND a minute: record"
                            + " the welcome prompt of prompts/vi and prompts/en with the new price",
                    pricePerMinuteVnd,
                    PER_MINUTE_VND);
        }
    }
}
