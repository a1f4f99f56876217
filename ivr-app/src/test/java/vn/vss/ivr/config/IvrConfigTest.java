package vn.vss.ivr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.call.Language;

class IvrConfigTest {

    @Test
    void givenNoVariables_thenTheDocumentedDefaultsApply() {
        IvrConfig config = IvrConfig.from(Map.of());

        assertThat(config.agi().port()).isEqualTo(4573);
        assertThat(config.agi().bindAddress().isLoopbackAddress()).isTrue();
        assertThat(config.agi().maxThreads()).isGreaterThanOrEqualTo(2_000);
        assertThat(config.database().jdbcUrl()).isEmpty();
        assertThat(config.defaultLanguage()).isEqualTo(Language.VI);
        assertThat(config.call().passwordLength()).isEqualTo(8);
        assertThat(config.call().passwordLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(config.call().pricePerMinuteVnd()).isEqualTo(1_000);
        assertThat(config.rateLimits().maxResetsPerCode()).isEqualTo(3);
        assertThat(config.rateLimits().maxFailuresPerCaller()).isEqualTo(5);
        assertThat(config.rateLimits().failuresBeforeCodeLock()).isEqualTo(10);
    }

    @Test
    void givenBadValues_thenStartUpStopsNamingEveryBadVariable() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_AGI_PORT", "45x73",
                        "IVR_PASSWORD_LIFETIME", "a day",
                        "IVR_AGI_ALLOWED_PEERS", "asterisk.internal",
                        "IVR_DEFAULT_LANGUAGE", "fr",
                        "IVR_PASSWORD_LENGTH", "4")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_AGI_PORT='45x73': is not a whole number")
                .hasMessageContaining("IVR_PASSWORD_LIFETIME='a day'")
                .hasMessageContaining(
                        "IVR_AGI_ALLOWED_PEERS='asterisk.internal': 'asterisk.internal' is not an IP address")
                .hasMessageContaining("IVR_DEFAULT_LANGUAGE='fr': must be vi or en")
                .hasMessageContaining("IVR_PASSWORD_LENGTH='4': must be between 6 and 16");
    }

    @Test
    void givenAReservationShorterThanTheLongestCall_thenStartUpStops() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_RESET_RESERVATION", "5m",
                        "IVR_MAX_CALL_DURATION", "10m")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_RESET_RESERVATION='PT5M': must be at least IVR_MAX_CALL_DURATION (PT10M)");
    }

    @Test
    void givenTheNoisyLineSetting_thenItReachesTheRecogniserAndZeroSwitchesTheGateOff() {
        assertThat(IvrConfig.from(Map.of()).speechRecognition().orElseThrow().noisyLineDb())
                .isEqualTo(15.0);
        assertThat(IvrConfig.from(Map.of("IVR_SPEECH_NOISY_LINE_DB", "12"))
                        .speechRecognition()
                        .orElseThrow()
                        .noisyLineDb())
                .isEqualTo(12.0);
        assertThat(IvrConfig.from(Map.of("IVR_SPEECH_NOISY_LINE_DB", "0"))
                        .speechRecognition()
                        .orElseThrow()
                        .noisyLineDb())
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_SPEECH_NOISY_LINE_DB", "-3")))
                .hasMessageContaining("IVR_SPEECH_NOISY_LINE_DB='-3'");
    }

    @Test
    void givenAnInstanceIdLongerThanTheCallRecordHolds_thenStartUpStopsNamingIt() {
        String longest = "ivr-" + "a".repeat(60);
        assertThat(IvrConfig.from(Map.of("IVR_INSTANCE_ID", longest)).instanceId())
                .isEqualTo(longest);

        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_INSTANCE_ID", longest + "b")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_INSTANCE_ID='" + longest + "b': is 65 characters long; at most 64 fit");
    }

    @Test
    void durationsTakeUnitsOrIso8601() {
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Settings.parseDuration("PT24H")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void everySettingIsDeclaredWithAMeaning() {
        assertThat(IvrConfig.from(Map.of()).declared())
                .hasSizeGreaterThan(25)
                .allSatisfy(setting -> assertThat(setting.meaning()).isNotBlank());
    }
}
