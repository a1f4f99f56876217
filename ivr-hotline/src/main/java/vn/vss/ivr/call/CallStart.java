package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known when a call arrives. {@code callerIdReceived} is untrusted and stored only escaped.
 * {@code answeredByAsterisk} is when Asterisk answered the caller, before the menu, as the dialplan
 * reported it (see {@link AsteriskAnswer}); empty when it did not, and the app's own answer counts.
 */
public record CallStart(
        String asteriskUniqueId,
        String callerIdReceived,
        Optional<PhoneNumber> callerNumber,
        Language language,
        Instant startedAt,
        Optional<Instant> answeredByAsterisk) {

    public CallStart(
            String asteriskUniqueId,
            String callerIdReceived,
            Optional<PhoneNumber> callerNumber,
            Language language,
            Instant startedAt) {
        this(asteriskUniqueId, callerIdReceived, callerNumber, language, startedAt, Optional.empty());
    }
}
