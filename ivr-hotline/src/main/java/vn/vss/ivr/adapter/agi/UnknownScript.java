package vn.vss.ivr.adapter.agi;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.UntrustedText;

/** Answers a request for any script other than ours: logs it, sends nothing, and lets the dialplan go on. */
final class UnknownScript implements AgiScript {
    private static final Logger log = LoggerFactory.getLogger(UnknownScript.class);

    @Override
    public void service(AgiRequest request, AgiChannel channel) {
        log.warn(
                "FastAGI request for an unknown script '{}'; only '{}' and '{}' are served",
                UntrustedText.printable(request.getScript(), 40),
                HotlineAgiServer.SCRIPT_NAME,
                MenuCallScript.SCRIPT_NAME);
    }
}
