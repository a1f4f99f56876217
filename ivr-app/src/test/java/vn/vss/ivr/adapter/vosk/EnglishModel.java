package vn.vss.ivr.adapter.vosk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The English Vosk model the build unpacks next to the modules. */
final class EnglishModel {
    private EnglishModel() {}

    static Path directory() {
        for (Path candidate :
                new Path[] {Path.of("../voice-models/vosk-model-en-us"), Path.of("voice-models/vosk-model-en-us")}) {
            if (Files.isDirectory(candidate.resolve("am"))) {
                return candidate;
            }
        }
        assertThat(false)
                .as("the English Vosk model is unpacked by './mvnw -pl ivr-app generate-resources'")
                .isTrue();
        throw new AssertionError();
    }
}
