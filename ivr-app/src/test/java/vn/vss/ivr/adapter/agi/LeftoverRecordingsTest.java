package vn.vss.ivr.adapter.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverRecordingsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");

    @TempDir
    Path directory;

    private Path file(String name, Duration age) throws Exception {
        Path file = Files.writeString(directory.resolve(name), "RIFF");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    @Test
    void givenRecordingsOlderThanTheLongestCall_thenOnlyTheyAreDeleted() throws Exception {
        Path leftover = file("rec-1700000000.1-5f.wav", Duration.ofMinutes(12));
        Path inUse = file("rec-1700000000.2-6a.wav", Duration.ofMinutes(9));
        Path notOurs = file("hold-music.wav", Duration.ofDays(3));
        LeftoverRecordings recordings =
                new LeftoverRecordings(directory, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(recordings.delete()).isEqualTo(1);

        assertThat(leftover).doesNotExist();
        assertThat(inUse).exists();
        assertThat(notOurs).exists();
    }

    @Test
    void givenAMissingDirectory_thenNothingIsDeletedAndNothingThrown() {
        LeftoverRecordings recordings = new LeftoverRecordings(
                directory.resolve("gone"), Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(recordings.delete()).isZero();
    }
}
