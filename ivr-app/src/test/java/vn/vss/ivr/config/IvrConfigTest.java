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
    void givenAReadTimeoutShorterThanTheSlowestKeyEntry_thenStartUpStops() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_AGI_READ_TIMEOUT", "60s", "IVR_KEY_TIMEOUT", "5s")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_AGI_READ_TIMEOUT='PT1M': must be at least PT1M45S");
        assertThat(IvrConfig.from(Map.of("IVR_AGI_READ_TIMEOUT", "60s", "IVR_KEY_TIMEOUT", "2s"))
                        .agi()
                        .readTimeout())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void givenAReservationLeaseLongerThanAMinute_thenStartUpStops() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_RESET_RESERVATION", "15m")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_RESET_RESERVATION='15m': must be between 10s and 1m");
        assertThat(IvrConfig.from(Map.of()).rateLimits().reservationLifetime()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void givenADurationOutsideItsRange_thenTheMessageNamesVariableValueAndRange() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_AGI_ENVIRONMENT_TIMEOUT", "0s",
                        "IVR_AGI_READ_TIMEOUT", "720h",
                        "IVR_DB_CONNECT_TIMEOUT", "100ms",
                        "IVR_RECOGNITION_TIMEOUT", "0s",
                        "IVR_MAX_CALL_DURATION", "500ms")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_AGI_ENVIRONMENT_TIMEOUT='0s': must be between 100ms and 60s")
                .hasMessageContaining("IVR_AGI_READ_TIMEOUT='720h': must be between 10s and 1h")
                .hasMessageContaining("IVR_DB_CONNECT_TIMEOUT='100ms': must be between 250ms and 30s")
                .hasMessageContaining("IVR_RECOGNITION_TIMEOUT='0s': must be between 100ms and 2m")
                .hasMessageContaining("IVR_MAX_CALL_DURATION='500ms': must be between 1m and 2h");
    }

    @Test
    void givenNoVariables_theOverloadLimitsHaveTheirDocumentedDefaults() {
        IvrConfig config = IvrConfig.from(Map.of());

        assertThat(config.httpLimits().headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.httpLimits().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.httpLimits().maxConnections()).isEqualTo(500);
        assertThat(config.hashing().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.hashing().queue()).isEqualTo(100);
        assertThat(config.hashing().maxWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.rateLimits().maxFailuresPerMinute()).isEqualTo(60);
    }

    @Test
    void givenOverloadLimitsOutsideTheirRanges_thenEachIsNamedWithItsRange() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_HTTP_HEADER_TIMEOUT", "100ms",
                        "IVR_HTTP_IDLE_TIMEOUT", "1h",
                        "IVR_HTTP_MAX_CONNECTIONS", "2",
                        "IVR_HASH_THREADS", "0",
                        "IVR_HASH_QUEUE", "0",
                        "IVR_HASH_WAIT", "1m",
                        "IVR_MAX_FAILURES_PER_MINUTE", "0")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_HTTP_HEADER_TIMEOUT='100ms': must be between 500ms and 60s")
                .hasMessageContaining("IVR_HTTP_IDLE_TIMEOUT='1h': must be between 5s and 10m")
                .hasMessageContaining("IVR_HTTP_MAX_CONNECTIONS='2': must be between 16 and 10000")
                .hasMessageContaining("IVR_HASH_THREADS='0': must be between 1 and 64")
                .hasMessageContaining("IVR_HASH_QUEUE='0': must be between 1 and 10000")
                .hasMessageContaining("IVR_HASH_WAIT='1m': must be between 100ms and 30s")
                .hasMessageContaining("IVR_MAX_FAILURES_PER_MINUTE='0': must be between 1 and 1000000");
    }

    @Test
    void givenZeroForAnyDuration_thenItIsRefused() {
        IvrConfig.from(Map.of()).declared().stream()
                .filter(setting -> isDuration(setting.defaultValue()))
                .forEach(setting -> assertThatThrownBy(() -> IvrConfig.from(Map.of(setting.variable(), "0s")))
                        .as(setting.variable())
                        .hasMessageContaining(setting.variable() + "='0s': must be between"));
    }

    @Test
    void givenDurationsAtTheirBounds_thenTheyAreAccepted() {
        IvrConfig config = IvrConfig.from(Map.of(
                "IVR_AGI_ENVIRONMENT_TIMEOUT", "100ms",
                "IVR_AGI_READ_TIMEOUT", "1h",
                "IVR_DB_CONNECT_TIMEOUT", "250ms",
                "IVR_MAX_CALL_DURATION", "PT2H",
                "IVR_RESET_RESERVATION", "1m"));

        assertThat(config.agi().environmentTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.agi().readTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.database().connectionTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.call().maxCallDuration()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void givenMoreCoreThreadsThanCalls_thenBothVariablesAreNamed() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_AGI_CORE_THREADS", "100", "IVR_AGI_MAX_CALLS", "50")))
                .hasMessageContaining("IVR_AGI_CORE_THREADS=100 is more than IVR_AGI_MAX_CALLS=50");
        assertThat(IvrConfig.from(Map.of("IVR_AGI_CORE_THREADS", "50", "IVR_AGI_MAX_CALLS", "50"))
                        .agi()
                        .coreThreads())
                .isEqualTo(50);
    }

    @Test
    void givenABadMaxCalls_thenOnlyItsOwnProblemIsReported() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_AGI_MAX_CALLS", "0")))
                .hasMessageContaining("IVR_AGI_MAX_CALLS='0': must be between 1 and 20000")
                .hasMessageNotContaining("IVR_AGI_CORE_THREADS");
    }

    @Test
    void givenADatabaseUrlForAnotherDriver_thenItIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_DB_URL", "postgres://vssid:s3cret@db:5432/vssid")))
                .hasMessageContaining(
                        "IVR_DB_URL='postgres://vssid:(hidden)@db:5432/vssid': must start with jdbc:postgresql:")
                .hasMessageNotContaining("s3cret");
        assertThat(IvrConfig.from(Map.of("IVR_DB_URL", "jdbc:postgresql://postgres:5432/vssid"))
                        .database()
                        .jdbcUrl())
                .contains("jdbc:postgresql://postgres:5432/vssid");
    }

    @Test
    void givenADatabaseUrlListingAPrimaryAndItsReplicas_thenItMustAskForThePrimaryAndIsShownWhole() {
        String failover = "jdbc:postgresql://db1:5432,db2:5432/vssid?targetServerType=primary";
        IvrConfig config = IvrConfig.from(Map.of("IVR_DB_URL", failover));
        assertThat(config.database().jdbcUrl()).contains(failover);
        assertThat(config.declared())
                .filteredOn(setting -> setting.variable().equals("IVR_DB_URL"))
                .singleElement()
                .satisfies(setting -> assertThat(setting.value()).isEqualTo(failover));

        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_DB_URL", "jdbc:postgresql://db1:5432,db2:5432/vssid")))
                .hasMessageContaining("IVR_DB_URL='jdbc:postgresql://db1:5432,db2:5432/vssid': lists 2 hosts but not"
                        + " targetServerType=primary");
        assertThatThrownBy(() -> IvrConfig.from(Map.of(
                        "IVR_DB_URL",
                        "jdbc:postgresql://db1,db2,db3/vssid?targetServerType=preferSecondary&password=s3cret")))
                .hasMessageContaining("lists 3 hosts")
                .hasMessageContaining("password=(hidden)")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> IvrConfig.from(
                        Map.of("IVR_DB_URL", "jdbc:postgresql://replica:5432/vssid?targetServerType=secondary")))
                .hasMessageContaining("asks for targetServerType=secondary, which may be a read-only standby");
        assertThat(IvrConfig.from(Map.of("IVR_DB_URL", "jdbc:postgresql://db:5432/vssid?targetServerType=any"))
                        .database()
                        .jdbcUrl())
                .isPresent();
    }

    @Test
    void givenABindAddress_thenOnlyLiteralAddressesAndHostNamesWithALetterAreAccepted() {
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_AGI_BIND_ADDRESS", "1234")))
                .hasMessageContaining("IVR_AGI_BIND_ADDRESS='1234': must be an IPv4 address (127.0.0.1), an IPv6"
                        + " address (::1) or a host name with at least one letter");
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_HTTP_BIND_ADDRESS", "10.0.0.256")))
                .hasMessageContaining("IVR_HTTP_BIND_ADDRESS='10.0.0.256': must be an IPv4 address");
        assertThat(IvrConfig.from(Map.of("IVR_AGI_BIND_ADDRESS", "0.0.0.0"))
                        .agi()
                        .bindAddress()
                        .isAnyLocalAddress())
                .isTrue();
        assertThat(IvrConfig.from(Map.of("IVR_AGI_BIND_ADDRESS", "::1"))
                        .agi()
                        .bindAddress()
                        .isLoopbackAddress())
                .isTrue();
        assertThat(IvrConfig.from(Map.of("IVR_HTTP_BIND_ADDRESS", "localhost"))
                        .httpBindAddress()
                        .isLoopbackAddress())
                .isTrue();
    }

    @Test
    void theSettingsTableHidesPasswordsAndShowsWhichValuesComeFromTheEnvironment() {
        var declared = IvrConfig.from(Map.of(
                        "IVR_DB_PASSWORD", "s3cret",
                        "IVR_DB_URL", "jdbc:postgresql://db/vssid?user=vssid&password=s3cret",
                        "IVR_AGI_PORT", "4600"))
                .declared();

        assertThat(declared).noneSatisfy(setting -> assertThat(setting.value()).contains("s3cret"));
        assertThat(declared)
                .filteredOn(setting -> setting.variable().equals("IVR_AGI_PORT"))
                .singleElement()
                .satisfies(setting -> {
                    assertThat(setting.value()).isEqualTo("4600");
                    assertThat(setting.fromEnvironment()).isTrue();
                });
        assertThat(declared)
                .filteredOn(setting -> setting.variable().equals("IVR_RECOGNITION_THREADS"))
                .singleElement()
                .satisfies(setting -> {
                    assertThat(setting.defaultValue()).isEqualTo("CPU cores");
                    assertThat(setting.fromEnvironment()).isFalse();
                });
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
    void givenAnInstanceLeaseOutOfRangeOrShorterThanThreeQueryTimeouts_thenStartUpStopsNamingIt() {
        assertThat(IvrConfig.from(Map.of()).instanceLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(IvrConfig.from(Map.of("IVR_INSTANCE_LEASE", "3s", "IVR_DB_QUERY_TIMEOUT", "1s"))
                        .instanceLease())
                .isEqualTo(Duration.ofSeconds(3));

        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_INSTANCE_LEASE", "2s")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_INSTANCE_LEASE='2s': must be between 3s and 10m");
        assertThatThrownBy(() -> IvrConfig.from(Map.of("IVR_INSTANCE_LEASE", "5s")))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining(
                        "IVR_INSTANCE_LEASE='5s': must be at least 3 x IVR_DB_QUERY_TIMEOUT (6s): the lease is renewed every third of it");
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

    private static boolean isDuration(String text) {
        try {
            Settings.parseDuration(text);
            return true;
        } catch (IllegalArgumentException notADuration) {
            return false;
        }
    }
}
