package vn.vss.ivr.adapter.agi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.asteriskjava.fastagi.AgiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.AsteriskAnswer;

/**
 * The {@value #NAME} parameter of the AGI URL: when Asterisk answered the caller, in epoch
 * milliseconds, set by the dialplan right after {@code Answer()}, e.g.
 * {@code agi://ivr-app:4573/vssid-reset?lang=vi&answered=1764491234567}.
 */
final class AnsweredParameter {
    static final String NAME = "answered";
    private static final Logger log = LoggerFactory.getLogger(AnsweredParameter.class);

    private AnsweredParameter() {}

    /**
     * The answer time to bill from, when it can be believed; a value that cannot is logged (what is
     * wrong with it, never the value) and the app's own time counts instead.
     *
     * @param required whether the dialplan always sends it to this script (a missing one is logged)
     */
    static Optional<Instant> read(AgiRequest request, Instant now, Duration longestCall, boolean required) {
        String value = request.getParameter(NAME);
        AsteriskAnswer.Reading reading = AsteriskAnswer.read(value, now, longestCall);
        if (reading.answeredAt().isEmpty() && (value != null || required)) {
            log.warn(
                    "AGI parameter '{}' ignored: {}; billing counts from the app's own time",
                    NAME,
                    reading.problem().orElse("unusable"));
        }
        return reading.answeredAt();
    }
}
