package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known when a call arrives. {@code callerIdReceived} is untrusted and stored only escaped.
 * {@code answeredByAsterisk} is when Asterisk answered the caller, before the menu, as the dialplan
 * reported it (see {@link AsteriskAnswer}); empty when it did not, and the app's own answer counts.
 * {@code callBack} says whether a verified caller is called back rather than told the password, and
 * {@code callBackLeg} names the request when this call is itself a call-back to the citizen.
 */
public record CallStart(
        String asteriskUniqueId,
        String callerIdReceived,
        Optional<PhoneNumber> callerNumber,
        Language language,
        Instant startedAt,
        Optional<Instant> answeredByAsterisk,
        boolean callBack,
        Optional<CallBackId> callBackLeg) {

    public CallStart(
            String asteriskUniqueId,
            String callerIdReceived,
            Optional<PhoneNumber> callerNumber,
            Language language,
            Instant startedAt,
            Optional<Instant> answeredByAsterisk) {
        this(
                asteriskUniqueId,
                callerIdReceived,
                callerNumber,
                language,
                startedAt,
                answeredByAsterisk,
                false,
                Optional.empty());
    }

    /** The call-back leg of request {@code id}, to the number it called. */
    public CallStart legTo(PhoneNumber number) {
        return new CallStart(
                asteriskUniqueId,
                callerIdReceived,
                Optional.of(number),
                language,
                startedAt,
                answeredByAsterisk,
                false,
                callBackLeg);
    }

    public CallStart(
            String asteriskUniqueId,
            String callerIdReceived,
            Optional<PhoneNumber> callerNumber,
            Language language,
            Instant startedAt) {
        this(asteriskUniqueId, callerIdReceived, callerNumber, language, startedAt, Optional.empty());
    }
}
