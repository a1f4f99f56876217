package vn.vss.ivr.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vn.vss.ivr.adapter.ami.AmiSettings;
import vn.vss.ivr.call.VerificationMode;

/**
 * How callers are verified ({@code IVR_VERIFICATION_MODE}) and, for call-backs, the manager
 * connection and the limits. {@code ami} is empty in caller-ID mode.
 */
public record CallBackSettings(
        VerificationMode mode, Set<String> untrustedTrunks, Optional<AmiSettings> ami, Duration delay, Duration gap) {

    /** A trunk is named by the dialplan (VSSID_TRUNK): a PJSIP endpoint name. */
    private static final Pattern TRUNK = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    static CallBackSettings from(Settings s) {
        VerificationMode mode = s.parse(
                "IVR_VERIFICATION_MODE",
                "caller-id",
                "How a caller proves the number: caller-id (believe the calling number), call-back (call the registered number back and read the password there) or call-back-untrusted (call back only calls from IVR_UNTRUSTED_TRUNKS).",
                VerificationMode::fromSetting);
        Set<String> untrusted = s.parse(
                "IVR_UNTRUSTED_TRUNKS",
                "",
                "Comma-separated trunks (the dialplan's trunk= names, e.g. carrier) whose calls are called back in call-back-untrusted mode; a call without a trunk name counts as untrusted.",
                CallBackSettings::trunks);
        String host = s.string(
                "IVR_AMI_HOST",
                "",
                "Asterisk's manager (AMI) host for call-backs, on the internal network; needed by the call-back modes.");
        int port = s.integer("IVR_AMI_PORT", 5038, 1, 65535, "Asterisk's manager (AMI) port.");
        String user = s.string("IVR_AMI_USER", "vssid-callback", "AMI user of the call-backs (manager.conf).");
        s.mask("IVR_AMI_SECRET", secret -> secret.isEmpty() ? "" : "(hidden)");
        String secret = s.string(
                "IVR_AMI_SECRET", "", "Secret of the AMI user (Asterisk's AMI_SECRET); needed by the call-back modes.");
        Duration ring = s.duration(
                "IVR_CALLBACK_RING_TIMEOUT",
                "30s",
                "10s",
                "120s",
                "How long a call-back rings before it counts as not answered.");
        Duration delay = s.duration(
                "IVR_CALLBACK_DELAY",
                "5s",
                "1s",
                "60s",
                "Wait between the caller's hang-up and the call-back, so that the citizen's line is free.");
        Duration gap = s.duration(
                "IVR_CALLBACK_GAP",
                "10m",
                "1m",
                "24h",
                "Least time between two call-backs to one number; call-backs per code are limited by IVR_MAX_RESETS_PER_CODE.");
        if (mode != null && mode != VerificationMode.CALLER_ID && (host.isEmpty() || secret.isEmpty())) {
            s.reject(
                    "IVR_VERIFICATION_MODE",
                    mode.setting(),
                    "needs IVR_AMI_HOST and IVR_AMI_SECRET (Asterisk's manager, which places the call-backs)");
        }
        Optional<AmiSettings> ami = mode == null || mode == VerificationMode.CALLER_ID
                ? Optional.empty()
                : Optional.of(new AmiSettings(host, port, user, secret, ring));
        return new CallBackSettings(mode, untrusted, ami, delay, gap);
    }

    private static Set<String> trunks(String text) {
        Set<String> names = Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String name : names) {
            if (!TRUNK.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "trunk names are letters, digits, - and _ (at most 40), separated by commas");
            }
        }
        return names;
    }

    /** Caller-ID verification, for tests and tools that build a configuration by hand. */
    public static CallBackSettings callerId() {
        return new CallBackSettings(
                VerificationMode.CALLER_ID, Set.of(), Optional.empty(), Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    /** How long after its request a call-back leg may still claim it: delay, ringing, and a margin. */
    public Duration freshness() {
        return delay.plus(ami.map(AmiSettings::ringTimeout).orElse(Duration.ZERO))
                .plusMinutes(1);
    }
}
