package vn.vss.ivr.adapter.agi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings of spoken codes that a call could not delete itself: the app was killed while a code
 * was being recognised, or a delete failed. They hold a citizen's code, so they are removed once no
 * call could still need them: older than the longest call. Several instances may share the
 * directory; the age rule keeps each from touching another's recording in use.
 */
public final class LeftoverRecordings {
    private static final Logger log = LoggerFactory.getLogger(LeftoverRecordings.class);
    private static final String GLOB = "rec-*";

    private final Path directory;
    private final Duration olderThan;
    private final Clock clock;

    public LeftoverRecordings(Path directory, Duration longestCall, Clock clock) {
        this.directory = directory;
        // A minute more than the longest call: the recording of its last answer is safe.
        this.olderThan = longestCall.plusMinutes(1);
        this.clock = clock;
    }

    /** Deletes the leftover recordings; returns how many. Never throws: it runs on a schedule. */
    public int delete() {
        Instant cutOff = clock.instant().minus(olderThan);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, GLOB)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(cutOff)
                        && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("leftover recordings in {} could not be checked: {}", directory, e.toString());
        }
        if (deleted > 0) {
            log.warn("{} leftover recording(s) of spoken codes deleted from {}", deleted, directory);
        }
        return deleted;
    }
}
