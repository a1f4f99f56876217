package vn.vss.ivr;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text file a command reads: a path, or {@code -} for standard input. {@code /dev/stdin} works
 * too, also when it is a pipe (as with {@code docker-compose exec -T ... < file}), which is not a
 * regular file.
 */
final class CommandFiles {
    private CommandFiles() {}

    /**
     * Opens {@code name} as UTF-8 text.
     *
     * @throws IllegalArgumentException naming the command and the file when it cannot be read
     */
    static Reader open(String command, String name) {
        if (name.equals("-")) {
            return new InputStreamReader(System.in, StandardCharsets.UTF_8);
        }
        Path file = Path.of(name);
        if (Files.isDirectory(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(command + ": " + file + " is not a readable file");
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(command + ": " + file + " cannot be read: " + e.getMessage());
        }
    }
}
