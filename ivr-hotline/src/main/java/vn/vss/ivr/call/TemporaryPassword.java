package vn.vss.ivr.call;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A new password while it is being read to the caller. It lives only in memory, is wiped when the
 * call ends, and never prints itself.
 */
public final class TemporaryPassword implements AutoCloseable {
    private final char[] digits;

    private TemporaryPassword(char[] digits) {
        this.digits = digits;
    }

    /** Digits only: letters are easily misheard when spoken over a phone line. */
    public static TemporaryPassword generate(SecureRandom random, int length) {
        if (length < 6 || length > 16) {
            throw new IllegalArgumentException("password length must be 6 to 16 digits");
        }
        char[] digits = new char[length];
        for (int i = 0; i < length; i++) {
            digits[i] = (char) ('0' + random.nextInt(10));
        }
        return new TemporaryPassword(digits);
    }

    /** A copy of the digits; the caller wipes it after use. */
    public char[] copyOfDigits() {
        return digits.clone();
    }

    public int length() {
        return digits.length;
    }

    char digitAt(int index) {
        return digits[index];
    }

    @Override
    public void close() {
        Arrays.fill(digits, '\0');
    }

    @Override
    public String toString() {
        return "TemporaryPassword[hidden]";
    }
}
