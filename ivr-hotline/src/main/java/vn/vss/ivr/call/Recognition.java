package vn.vss.ivr.call;

import java.util.List;

/**
 * What the recogniser heard: the digits in order with a confidence (0-1) for each. {@code digits}
 * holds only the characters 0-9; words that are not digits make the result {@link Status#UNCLEAR}.
 */
public record Recognition(Status status, String digits, List<Double> confidences) {
    public enum Status {
        /** Only digit words were heard. */
        DIGITS,
        /** Nothing, or something that is not only digit words. */
        UNCLEAR,
        /**
         * The caller's speech stands too little above the line's noise to be recognised reliably: the
         * keypad serves the caller better than asking again.
         */
        TOO_NOISY,
        /** The recogniser failed, timed out, or is switched off by its breaker. */
        FAILED
    }

    public Recognition {
        digits = digits == null ? "" : digits;
        confidences = confidences == null ? List.of() : List.copyOf(confidences);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("digits only");
        }
    }

    public static Recognition failed() {
        return new Recognition(Status.FAILED, "", List.of());
    }

    public static Recognition tooNoisy() {
        return new Recognition(Status.TOO_NOISY, "", List.of());
    }

    public static Recognition unclear() {
        return new Recognition(Status.UNCLEAR, "", List.of());
    }

    @Override
    public String toString() {
        return "Recognition[" + status + ", " + digits.length() + " digits]";
    }
}
