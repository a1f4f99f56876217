package vn.vss.ivr.call;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A number the hotline may call back: a Vietnamese E.164 number, {@code +84} then the 9 digits of
 * a mobile number (starting 3, 5, 7, 8 or 9) or the 10 of a landline (starting 2). The same pattern
 * is checked three times: here before anything is stored or dialled, by the database
 * ({@code callback_request}'s CHECK), and by the dialplan before {@code Dial()} ({@code REGEX} in
 * {@code [vssid-callback-dial]}). No other character can reach a dial string.
 */
public final class CallBackNumber {
    /** POSIX and Java read it alike; {@code [+]} spares the dialplan a backslash. */
    public static final String PATTERN = "^[+]84([35789][0-9]{8}|2[0-9]{9})$";

    private static final Pattern DIALLABLE = Pattern.compile(PATTERN);

    private CallBackNumber() {}

    /** The registered number as stored, if the hotline may dial it. */
    public static Optional<PhoneNumber> diallable(String registered) {
        if (registered == null || !DIALLABLE.matcher(registered).matches()) {
            return Optional.empty();
        }
        return Optional.of(new PhoneNumber(registered));
    }
}
