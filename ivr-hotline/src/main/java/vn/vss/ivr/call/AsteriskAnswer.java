package vn.vss.ivr.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The moment Asterisk answered the caller, as the dialplan hands it over: epoch milliseconds taken
 * right after {@code Answer()}, before the menu. The caller pays the carrier from that moment, so
 * billing, the call record's answer time and the maximum call duration all count from it.
 *
 * <p>The value arrives in the AGI URL and is untrusted: it is believed only when it is digits, not
 * more than {@link #CLOCK_SKEW} ahead of this host's clock (a little ahead is taken as now), and not
 * older than the longest call. Otherwise the app's own answer counts, as before the dialplan sent it.
 */
public final class AsteriskAnswer {
    /** How far Asterisk's clock may run ahead of the app's (hosts kept in step by NTP). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** Epoch milliseconds have 13 digits until the year 2286; more is not a time. */
    private static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{1,15}");

    /** The answer time that was believed, or, when none was, why (never quoting the value). */
    public record Reading(Optional<Instant> answeredAt, Optional<String> problem) {
        static Reading taken(Instant at) {
            return new Reading(Optional.of(at), Optional.empty());
        }

        static Reading refused(String problem) {
            return new Reading(Optional.empty(), Optional.of(problem));
        }
    }

    private AsteriskAnswer() {}

    /**
     * @param value the parameter as received, or null when there was none
     * @param now this host's time
     * @param longestCall the maximum call duration: an answer older than that cannot be this call's
     */
    public static Reading read(String value, Instant now, Duration longestCall) {
        if (value == null) {
            return Reading.refused("no answer time was sent");
        }
        if (!EPOCH_MILLIS.matcher(value).matches()) {
            return Reading.refused("the answer time is not epoch milliseconds (" + value.length() + " characters)");
        }
        Instant answeredAt = Instant.ofEpochMilli(Long.parseLong(value));
        if (answeredAt.isAfter(now.plus(CLOCK_SKEW))) {
            return Reading.refused("the answer time is more than " + CLOCK_SKEW.toSeconds() + " s in the future");
        }
        if (answeredAt.isBefore(now.minus(longestCall))) {
            return Reading.refused("the answer time is older than the longest call (IVR_MAX_CALL_DURATION)");
        }
        return Reading.taken(answeredAt.isAfter(now) ? now : answeredAt);
    }
}
