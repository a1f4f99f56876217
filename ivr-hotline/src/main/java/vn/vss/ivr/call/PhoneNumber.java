package vn.vss.ivr.call;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Vietnamese phone number in E.164 form (+84 followed by the 9 or 10 digit national number).
 *
 * <p>Caller ID is untrusted: only plain digits, with an optional leading {@code +}, in one of the
 * three usual shapes are accepted. Anything else (withheld, "anonymous", spaces, dashes, control
 * characters, overlong strings) is no number at all, and so can never match a registered one.
 */
public record PhoneNumber(String e164) {
    private static final Pattern E164_VN = Pattern.compile("\\+84[1-9][0-9]{8,9}");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+84([1-9][0-9]{8,9})");
    private static final Pattern INTERNATIONAL_NO_PLUS = Pattern.compile("84([1-9][0-9]{8,9})");
    private static final Pattern NATIONAL = Pattern.compile("0([1-9][0-9]{8,9})");
    private static final int LONGEST_ACCEPTED = 13;

    public PhoneNumber {
        if (e164 == null || !E164_VN.matcher(e164).matches()) {
            throw new IllegalArgumentException("not a Vietnamese E.164 number");
        }
    }

    /** Normalises a caller ID as Asterisk reports it: {@code +8491...}, {@code 8491...} or {@code 091...}. */
    public static Optional<PhoneNumber> fromCallerId(String callerId) {
        if (callerId == null || callerId.isEmpty() || callerId.length() > LONGEST_ACCEPTED) {
            return Optional.empty();
        }
        for (Pattern shape : new Pattern[] {INTERNATIONAL, INTERNATIONAL_NO_PLUS, NATIONAL}) {
            var matcher = shape.matcher(callerId);
            if (matcher.matches()) {
                return Optional.of(new PhoneNumber("+84" + matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    /** Logs see the country code, the first two and the last two digits. */
    public String masked() {
        return e164.substring(0, 5) + "*".repeat(e164.length() - 7) + e164.substring(e164.length() - 2);
    }

    @Override
    public String toString() {
        return masked();
    }
}
