package vn.vss.ivr.call;

import java.util.Locale;

/**
 * The result of checking a code against the calling number. Only {@link #MATCH} changes what the
 * caller hears; every other verdict gets the same words in the same time, so that a caller cannot
 * learn whether a code exists, which number it belongs to, or whether it is locked.
 */
public enum Verdict {
    MATCH,
    UNKNOWN_CODE,
    WRONG_NUMBER,
    NO_CALLER_ID,
    CODE_LOCKED,
    CALLER_BLOCKED,
    /** Too many failed verifications on the whole hotline in the last minute: no lookup for now. */
    HOTLINE_CEILING,
    RESET_LIMIT_REACHED,
    RESET_IN_PROGRESS;

    public boolean matched() {
        return this == MATCH;
    }

    /** True when a rate limit, not the data, refused the caller. */
    public boolean isRateLimit() {
        return this == CODE_LOCKED || this == CALLER_BLOCKED || this == HOTLINE_CEILING || this == RESET_LIMIT_REACHED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
