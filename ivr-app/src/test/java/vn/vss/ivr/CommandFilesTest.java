package vn.vss.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input file of import-subscribers and calltest-check: a file, a pipe, or standard input. */
class CommandFilesTest {
    @TempDir
    Path directory;

    @Test
    void givenAFile_thenItIsRead() throws IOException {
        Path file = Files.writeString(directory.resolve("subscribers.csv"), "code,phone\n");
        try (Reader reader = CommandFiles.open("import-subscribers", file.toString())) {
            assertThat(new BufferedReader(reader).readLine()).isEqualTo("code,phone");
        }
    }

    @Test
    void givenAPipe_thenItIsReadThoughItIsNoRegularFile() throws Exception {
        // What /dev/stdin is under 'docker-compose exec -T ... < file': a pipe.
        Path fifo = directory.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThat(Files.isRegularFile(fifo)).isFalse();
        new ProcessBuilder("sh", "-c", "printf 'code,phone\\n' > " + fifo).start();
        try (Reader reader = CommandFiles.open("import-subscribers", fifo.toString())) {
            assertThat(new BufferedReader(reader).readLine()).isEqualTo("code,phone");
        }
    }

    @Test
    void givenADirectoryOrNothing_thenTheCommandStopsNamingIt() {
        assertThatThrownBy(() -> CommandFiles.open("calltest-check", directory.toString()))
                .hasMessage("calltest-check: " + directory + " is not a readable file");
        assertThatThrownBy(() -> CommandFiles.open(
                        "calltest-check", directory.resolve("none").toString()))
                .hasMessage("calltest-check: " + directory.resolve("none") + " is not a readable file");
    }
}
