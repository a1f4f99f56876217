package vn.vss.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.config.Settings;

class MainTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenSettings_thenTheValuesOfTheEnvironmentAreShown() {
        Main.settings(false, Map.of("IVR_AGI_PORT", "4600", "IVR_DB_PASSWORD", "s3cret"), out);

        assertThat(printed())
                .startsWith("| Variable | Value | From | Meaning |")
                .contains("| `IVR_AGI_PORT` | `4600` | environment |")
                .contains("| `IVR_HTTP_PORT` | `8080` | default |")
                .contains("| `IVR_DB_PASSWORD` | `(hidden)` | environment |")
                .doesNotContain("s3cret");
    }

    @Test
    void givenSettingsWithABadValue_thenTheProblemIsReportedAndNothingPrinted() {
        assertThatThrownBy(() -> Main.settings(false, Map.of("IVR_AGI_ENVIRONMENT_TIMEOUT", "0s"), out))
                .isInstanceOf(Settings.InvalidSettingsException.class)
                .hasMessageContaining("IVR_AGI_ENVIRONMENT_TIMEOUT='0s': must be between 100ms and 60s");
        assertThat(printed()).isEmpty();
    }

    @Test
    void givenSettingsDefaults_thenTheTableIgnoresTheEnvironmentAndTheMachine() {
        Main.settings(true, Map.of("IVR_AGI_PORT", "not even a number"), out);

        assertThat(printed())
                .startsWith("| Variable | Default | Meaning |")
                .contains("| `IVR_AGI_PORT` | `4573` |")
                .contains("| `IVR_DB_URL` | (empty) |")
                .contains("| `IVR_RECOGNITION_THREADS` | (CPU cores) |");
    }
}
