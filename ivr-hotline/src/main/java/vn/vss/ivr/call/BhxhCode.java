package vn.vss.ivr.call;

import java.util.Optional;
import java.util.regex.Pattern;

/** A social insurance code (mã số BHXH): exactly ten digits. */
public record BhxhCode(String digits) {
    private static final Pattern TEN_DIGITS = Pattern.compile("[0-9]{10}");

    public BhxhCode {
        if (digits == null || !TEN_DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("a BHXH code is exactly 10 digits");
        }
    }

    /** What the caller keyed or said, if it is a valid code; anything else is empty. */
    public static Optional<BhxhCode> parse(String input) {
        if (input == null || !TEN_DIGITS.matcher(input).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BhxhCode(input));
    }

    /** Logs and metrics see only the last three digits. */
    public String masked() {
        return "*******" + digits.substring(7);
    }

    @Override
    public String toString() {
        return masked();
    }
}
