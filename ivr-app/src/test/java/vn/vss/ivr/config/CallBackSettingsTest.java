package vn.vss.ivr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.VerificationMode;

/** IVR_VERIFICATION_MODE and the call-back settings: defaults, and one-line errors naming the variable. */
class CallBackSettingsTest {

    @Test
    void byDefault_callersAreVerifiedByCallerIdAndNoManagerIsNeeded() {
        CallBackSettings settings = IvrConfig.from(Map.of()).callBack();

        assertThat(settings.mode()).isEqualTo(VerificationMode.CALLER_ID);
        assertThat(settings.ami()).isEmpty();
        assertThat(settings.gap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.delay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void callBackModes_needTheManagersHostAndSecret_andHideTheSecret() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_VERIFICATION_MODE", "call-back")))
                .hasMessageContaining(
                        "IVR_VERIFICATION_MODE='call-back': needs IVR_AMI_HOST and IVR_AMI_SECRET (Asterisk's manager, which places the call-backs)");

        IvrConfig config = IvrConfig.from(Map.of(
                "IVR_VERIFICATION_MODE", "call-back-untrusted",
                "IVR_UNTRUSTED_TRUNKS", "carrier, other-trunk",
                "IVR_AMI_HOST", "asterisk",
                "IVR_AMI_SECRET", "s3cret-s3cret-s3cret"));
        assertThat(config.callBack().untrustedTrunks()).containsExactlyInAnyOrder("carrier", "other-trunk");
        assertThat(config.callBack().ami()).hasValueSatisfying(ami -> {
            assertThat(ami.host()).isEqualTo("asterisk");
            assertThat(ami.port()).isEqualTo(5038);
            assertThat(ami.user()).isEqualTo("vssid-callback");
            assertThat(ami.ringTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(ami.toString()).doesNotContain("s3cret");
        });
        assertThat(config.declared())
                .filteredOn(setting -> setting.variable().equals("IVR_AMI_SECRET"))
                .singleElement()
                .satisfies(setting -> assertThat(setting.value()).isEqualTo("(hidden)"));
    }

    @Test
    void badValues_areNamedInOneLineEach() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_VERIFICATION_MODE", "sms",
                        "IVR_UNTRUSTED_TRUNKS", "carrier;drop",
                        "IVR_CALLBACK_RING_TIMEOUT", "5m",
                        "IVR_CALLBACK_GAP", "10s",
                        "IVR_AMI_PORT", "0")))
                .hasMessageContaining(
                        "IVR_VERIFICATION_MODE='sms': must be caller-id, call-back or call-back-untrusted")
                .hasMessageContaining(
                        "IVR_UNTRUSTED_TRUNKS='carrier;drop': trunk names are letters, digits, - and _ (at most 40), separated by commas")
                .hasMessageContaining("IVR_CALLBACK_RING_TIMEOUT='5m': must be between 10s and 120s")
                .hasMessageContaining("IVR_CALLBACK_GAP='10s': must be between 1m and 24h")
                .hasMessageContaining("IVR_AMI_PORT='0': must be between 1 and 65535");
    }

    @Test
    void callBackUntrusted_callsBackTheListedTrunksAndCallsWithoutATrunk() {
        Set<String> untrusted = Set.of("carrier");

        assertThat(VerificationMode.CALLER_ID.callsBack(Optional.of("carrier"), untrusted))
                .isFalse();
        assertThat(VerificationMode.CALL_BACK.callsBack(Optional.of("sipp-test"), untrusted))
                .isTrue();
        assertThat(VerificationMode.CALL_BACK_UNTRUSTED.callsBack(Optional.of("carrier"), untrusted))
                .isTrue();
        assertThat(VerificationMode.CALL_BACK_UNTRUSTED.callsBack(Optional.of("sipp-test"), untrusted))
                .isFalse();
        assertThat(VerificationMode.CALL_BACK_UNTRUSTED.callsBack(Optional.empty(), untrusted))
                .isTrue();
    }
}
