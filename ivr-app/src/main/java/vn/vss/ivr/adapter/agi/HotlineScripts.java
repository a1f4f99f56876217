package vn.vss.ivr.adapter.agi;

import java.util.Set;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;

/**
 * The scripts the hotline serves over FastAGI, by the name in the AGI URL: {@code vssid-reset}
 * (branches 8 and 9) and {@code vssid-menu-call} (the hang-up handler of a call that ended in the
 * menu). Any other name is answered by {@link UnknownScript}.
 */
public final class HotlineScripts implements AgiScript {
    public static final Set<String> NAMES = Set.of(HotlineAgiServer.SCRIPT_NAME, MenuCallScript.SCRIPT_NAME);

    private final AgiScript reset;
    private final AgiScript menuCall;

    public HotlineScripts(AgiScript reset, AgiScript menuCall) {
        this.reset = reset;
        this.menuCall = menuCall;
    }

    /** Whether a request for this script name is served. */
    static boolean serves(String scriptName) {
        return scriptName != null && NAMES.contains(scriptName);
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws org.asteriskjava.fastagi.AgiException {
        String name = request.getScript();
        if (MenuCallScript.SCRIPT_NAME.equals(name)) {
            menuCall.service(request, channel);
        } else if (HotlineAgiServer.SCRIPT_NAME.equals(name)) {
            reset.service(request, channel);
        } else {
            new UnknownScript().service(request, channel);
        }
    }
}
