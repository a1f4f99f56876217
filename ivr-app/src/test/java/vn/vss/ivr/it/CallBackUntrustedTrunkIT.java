package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager;
import vn.vss.ivr.harness.simulator.FakeAsteriskManager.Outcome;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * IVR_VERIFICATION_MODE=call-back-untrusted through the real FastAGI server: the trunk the dialplan
 * names in the AGI URL decides whether a verified caller hears the password or is called back.
 */
class CallBackUntrustedTrunkIT {
    private static final String SECRET = "test-ami-secret-0123456789";

    @Test
    void callsFromAnUntrustedTrunkAreCalledBack_othersHearThePassword() throws Exception {
        try (FakeAsteriskManager ami = new FakeAsteriskManager("vssid-callback", SECRET, originate -> Outcome.BUSY)) {
            TestHotline hotline = TestHotline.start(Map.of(
                    "IVR_VERIFICATION_MODE", "call-back-untrusted",
                    "IVR_UNTRUSTED_TRUNKS", "carrier",
                    "IVR_AMI_HOST", "127.0.0.1",
                    "IVR_AMI_PORT", Integer.toString(ami.port()),
                    "IVR_AMI_SECRET", SECRET,
                    "IVR_CALLBACK_DELAY", "1s"));
            try {
                Subscriber fromCarrier = hotline.freshSubscriber();
                Subscriber fromTestTrunk = hotline.freshSubscriber();
                Subscriber noTrunk = hotline.freshSubscriber();

                CallTranscript carrier = hotline.call(CallerScript.from(fromCarrier.phone())
                        .parameter("trunk", "carrier")
                        .keys(fromCarrier.code() + "#"));
                CallTranscript test = hotline.call(CallerScript.from(fromTestTrunk.phone())
                        .parameter("trunk", "sipp-test")
                        .keys(fromTestTrunk.code() + "#"));
                CallTranscript unknown =
                        hotline.call(CallerScript.from(noTrunk.phone()).keys(noTrunk.code() + "#"));

                assertThat(carrier.promptNames()).contains("callback-promise").doesNotContain("password-intro");
                assertThat(hotline.passwordHash(fromCarrier.code())).isNull();
                assertThat(test.promptNames()).contains("password-intro").doesNotContain("callback-promise");
                assertThat(hotline.passwordHash(fromTestTrunk.code())).isNotNull();
                assertThat(unknown.promptNames())
                        .as("a call whose trunk is not named counts as untrusted")
                        .contains("callback-promise");
                assertThat(List.of(
                                ami.originates().poll(15, TimeUnit.SECONDS).variable("VSSID_CALLBACK_NUMBER"),
                                ami.originates().poll(15, TimeUnit.SECONDS).variable("VSSID_CALLBACK_NUMBER")))
                        .containsExactlyInAnyOrder(
                                "+84" + fromCarrier.phone().substring(1),
                                "+84" + noTrunk.phone().substring(1));
                assertThat(ami.originates().poll(2, TimeUnit.SECONDS)).isNull();
            } finally {
                hotline.close();
            }
        }
    }
}
