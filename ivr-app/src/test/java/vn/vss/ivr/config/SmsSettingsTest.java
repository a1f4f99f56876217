package vn.vss.ivr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmsSettingsTest {
    @Test
    void givenNoSmscAddress_thenSmsNoticesAreOff() {
        assertThat(IvrConfig.from(Map.of()).smsNotices()).isEmpty();
    }

    @Test
    void givenAnSmsc_thenItsAccountSourceWindowAndRateAreRead() {
        var sms = IvrConfig.from(Map.of(
                        "IVR_SMSC_ADDRESS", "smsc.example.vn:2775",
                        "IVR_SMSC_SYSTEM_ID", "vssid",
                        "IVR_SMSC_PASSWORD", "pw12",
                        "IVR_SMS_SOURCE_ADDRESS", "BHXH VN",
                        "IVR_SMSC_WINDOW", "5",
                        "IVR_SMSC_MAX_PER_SECOND", "30"))
                .smsNotices()
                .orElseThrow();

        assertThat(sms.address()).isEqualTo("smsc.example.vn:2775");
        assertThat(sms.systemId()).isEqualTo("vssid");
        assertThat(sms.password()).isEqualTo("pw12");
        assertThat(sms.source().address()).isEqualTo("BHXH VN");
        assertThat(sms.window()).isEqualTo(5);
        assertThat(sms.maxPerSecond()).isEqualTo(30);
    }

    @Test
    void givenAnSmscWithoutItsAccount_thenStartUpStopsNamingBoth() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_SMSC_ADDRESS", "smsc.example.vn:2775")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_SMSC_SYSTEM_ID='': must be set when IVR_SMSC_ADDRESS is")
                .hasMessageContaining("IVR_SMSC_PASSWORD='': must be set when IVR_SMSC_ADDRESS is");
    }

    @Test
    void givenBadSmsValues_thenEachIsNamedAndThePasswordIsNeverShown() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_SMSC_ADDRESS", "smsc.example.vn",
                        "IVR_SMSC_SYSTEM_ID", "a-system-id-far-too-long",
                        "IVR_SMSC_PASSWORD", "longsecret9",
                        "IVR_SMS_SOURCE_ADDRESS", "Bảo hiểm xã hội",
                        "IVR_SMSC_WINDOW", "0",
                        "IVR_SMSC_MAX_PER_SECOND", "5000")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_SMSC_ADDRESS='smsc.example.vn': must be host:port")
                .hasMessageContaining("IVR_SMSC_SYSTEM_ID='a-system-id-far-too-long': is 24 characters long;"
                        + " SMPP allows at most 15")
                .hasMessageContaining("IVR_SMSC_PASSWORD='(hidden)': is 11 characters long; SMPP allows at most 8")
                .hasMessageContaining("IVR_SMS_SOURCE_ADDRESS='Bảo hiểm xã hội': must be a service number")
                .hasMessageContaining("IVR_SMSC_WINDOW='0': must be between 1 and 100")
                .hasMessageContaining("IVR_SMSC_MAX_PER_SECOND='5000': must be between 1 and 1000")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("longsecret9"));
    }

    @Test
    void theSettingsTableHidesTheSmscPassword() {
        String table = SettingsTable.effective(IvrConfig.from(Map.of(
                        "IVR_SMSC_ADDRESS", "smsc.example.vn:2775",
                        "IVR_SMSC_SYSTEM_ID", "vssid",
                        "IVR_SMSC_PASSWORD", "pw12"))
                .declared());

        assertThat(table).contains("IVR_SMSC_PASSWORD").contains("(hidden)").doesNotContain("pw12");
    }
}
