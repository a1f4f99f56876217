package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoder settings reach Vosk through an overlay of the model; the model itself is untouched. */
class ModelOverlayTest {
    @TempDir
    Path model;

    private void modelFiles() throws Exception {
        Files.createDirectories(model.resolve("am"));
        Files.writeString(model.resolve("am/final.mdl"), "acoustic model");
        Files.createDirectories(model.resolve("conf"));
        Files.writeString(model.resolve("conf/mfcc.conf"), "--sample-frequency=16000\n");
        Files.writeString(model.resolve("conf/model.conf"), "--min-active=200\n--beam=10.0\n--acoustic-scale=1.0\n");
    }

    @Test
    void givenOverrides_thenTheyReplaceTheModelsOwnOptionsAndTheRestIsKept() {
        List<String> conf = ModelOverlay.withOverrides(
                List.of("--min-active=200", "--beam=10.0", "--acoustic-scale=1.0"),
                Map.of("--acoustic-scale", "2.0", "--lattice-beam", "4.0"));

        assertThat(conf)
                .containsExactlyInAnyOrder(
                        "--min-active=200", "--beam=10.0", "--acoustic-scale=2.0", "--lattice-beam=4.0");
    }

    @Test
    void givenTheModelsOwnSettings_thenTheModelDirectoryIsUsedAsItIs() throws Exception {
        modelFiles();

        try (ModelOverlay overlay = ModelOverlay.of(model, DecoderSearch.MODEL)) {
            assertThat(overlay.directory()).isEqualTo(model);
        }
        assertThat(model.resolve("am/final.mdl")).exists();
    }

    @Test
    void givenNoisyLineSettings_thenTheOverlayHasTheModelsFilesAndOurConfAndIsGoneAfterwards() throws Exception {
        modelFiles();
        Path seen;

        try (ModelOverlay overlay = ModelOverlay.of(model, DecoderSearch.NOISY_LINE)) {
            seen = overlay.directory();
            assertThat(seen).isNotEqualTo(model);
            assertThat(Files.readString(seen.resolve("am/final.mdl"))).isEqualTo("acoustic model");
            assertThat(Files.readString(seen.resolve("conf/mfcc.conf"))).isEqualTo("--sample-frequency=16000\n");
            assertThat(Files.readAllLines(seen.resolve("conf/model.conf")))
                    .contains("--min-active=200", "--acoustic-scale=2.0", "--beam=13.0", "--max-active=7000")
                    .doesNotContain("--acoustic-scale=1.0", "--beam=10.0");
        }

        assertThat(seen).doesNotExist();
        assertThat(Files.readString(model.resolve("am/final.mdl"))).isEqualTo("acoustic model");
        assertThat(Files.readString(model.resolve("conf/model.conf"))).contains("--acoustic-scale=1.0");
    }

    @Test
    void givenAModelWithoutModelConf_thenTheOverlayWritesOneWithOurSettingsOnly() throws Exception {
        Files.createDirectories(model.resolve("am"));

        try (ModelOverlay overlay = ModelOverlay.of(model, new DecoderSearch(1.5, 0, 0, 0))) {
            assertThat(Files.readAllLines(overlay.directory().resolve("conf/model.conf")))
                    .containsExactly("--acoustic-scale=1.5");
        }
    }

    @Test
    void givenAMissingModelDirectory_thenTheErrorNamesIt() {
        Path missing = model.resolve("no-such-model");

        assertThatThrownBy(() -> ModelOverlay.of(missing, DecoderSearch.NOISY_LINE))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("no-such-model");
    }

    @Test
    void givenANegativeSetting_thenItIsRefused() {
        assertThatThrownBy(() -> new DecoderSearch(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
