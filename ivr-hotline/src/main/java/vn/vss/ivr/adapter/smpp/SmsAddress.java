package vn.vss.ivr.adapter.smpp;

import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;

/**
 * An SMPP address: the digits or letters, and how the SMSC must read them (type of number, numbering
 * plan). The citizen's number travels as an international ISDN number, digits only; the hotline's
 * own source address is the service number or the sender name the carrier registered for it.
 */
public record SmsAddress(String address, TypeOfNumber ton, NumberingPlanIndicator npi) {
    /** GSM sender names hold at most 11 characters. */
    public static final int ALPHANUMERIC_MAX = 11;

    /** {@code +84912345678} becomes {@code 84912345678}, international, ISDN (E.164). */
    public static SmsAddress citizen(String e164) {
        if (!e164.matches("\\+[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("not an E.164 number");
        }
        return new SmsAddress(e164.substring(1), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN);
    }

    /**
     * The hotline's source address as an operator writes it: {@code 1900 9068} (a national service
     * number; spaces are dropped), {@code +84...} (international), or a registered sender name of up
     * to 11 letters, digits and spaces ({@code BHXH VN}, alphanumeric).
     */
    public static SmsAddress source(String text) {
        String digits = text.replace(" ", "");
        if (digits.matches("\\+[1-9][0-9]{6,14}")) {
            return new SmsAddress(digits.substring(1), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN);
        }
        if (digits.matches("[0-9]{3,15}")) {
            return new SmsAddress(digits, TypeOfNumber.NATIONAL, NumberingPlanIndicator.ISDN);
        }
        if (text.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}") && text.matches(".*[A-Za-z].*")) {
            return new SmsAddress(text, TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN);
        }
        throw new IllegalArgumentException("must be a service number such as 1900 9068, +84 and digits, or a sender"
                + " name of 1 to " + ALPHANUMERIC_MAX + " letters, digits and spaces");
    }

    @Override
    public String toString() {
        return address + " (" + ton + ", " + npi + ")";
    }
}
