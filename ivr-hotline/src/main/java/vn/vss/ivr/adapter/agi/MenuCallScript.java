package vn.vss.ivr.adapter.agi;

import java.time.Instant;
import java.util.Optional;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallServices;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.MenuCall;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.UntrustedText;

/**
 * The FastAGI script {@value #SCRIPT_NAME}: the dialplan's hang-up handler reports an answered
 * call that ended in the menu, before branch 8 or 9, with
 * {@code agi://ivr-app:4573/vssid-menu-call?lang=vi&answered=<epoch ms>}. The call is recorded and
 * billed from {@code answered} (see {@link MenuCall}).
 *
 * <p>The channel is dead when this runs (Asterisk runs the handler as DeadAGI): this script sends no
 * command at all on it and ends, which lets Asterisk finish the hang-up. No code is asked for and
 * nothing is looked up.
 */
public final class MenuCallScript implements AgiScript {
    public static final String SCRIPT_NAME = "vssid-menu-call";
    private static final Logger log = LoggerFactory.getLogger(MenuCallScript.class);
    private static final int CALLER_ID_KEPT = 300;

    private final CallServices services;
    private final Language defaultLanguage;

    public MenuCallScript(CallServices services, Language defaultLanguage) {
        this.services = services;
        this.defaultLanguage = defaultLanguage;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) {
        String uniqueId = VssidResetScript.validUniqueId(request.getUniqueId());
        MDC.put("uniqueid", uniqueId);
        try {
            Instant now = services.clock().instant();
            Optional<Instant> answeredAt =
                    AnsweredParameter.read(request, now, services.settings().maxCallDuration(), true);
            String callerId = Optional.ofNullable(request.getCallerIdNumber()).orElse("");
            CallStart start = new CallStart(
                    uniqueId,
                    UntrustedText.printable(callerId, CALLER_ID_KEPT),
                    PhoneNumber.fromCallerId(callerId),
                    language(request),
                    answeredAt.orElse(now),
                    answeredAt);
            new MenuCall(start, services, outcome(request)).record();
        } finally {
            MDC.remove("uniqueid");
        }
    }

    /**
     * Why the call ended before the application served it: {@code ended=unavailable} when the
     * dialplan played "unavailable" because the application could not be reached (or answered
     * FAILURE); anything else is a call that ended in the menu.
     */
    private static CallOutcome outcome(AgiRequest request) {
        return "unavailable".equals(request.getParameter("ended"))
                ? CallOutcome.SERVICE_UNAVAILABLE
                : CallOutcome.ENDED_IN_MENU;
    }

    /** The language the caller heard the menu in, for the record; an unknown one is the default. */
    private Language language(AgiRequest request) {
        String lang = request.getParameter("lang");
        return lang == null ? defaultLanguage : Language.fromCode(lang).orElse(defaultLanguage);
    }
}
