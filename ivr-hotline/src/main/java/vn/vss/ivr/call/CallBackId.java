package vn.vss.ivr.call;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A call-back request, made by the app: it travels to Asterisk in a channel variable and comes back
 * in the call-back leg's AGI URL, where it is believed only in this exact form.
 */
public record CallBackId(UUID id) {
    private static final Pattern TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public static CallBackId next() {
        return new CallBackId(UUID.randomUUID());
    }

    /** The id in a request parameter, or empty when it is anything but a lower-case UUID. */
    public static Optional<CallBackId> fromText(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new CallBackId(UUID.fromString(text)));
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
