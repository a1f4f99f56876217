package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.DatabaseDump;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * The plain password exists only in the caller's ear: not in the logs, the database, the sounds
 * directory or any AGI command. Checks the passwords of its own calls and of every call placed
 * earlier in this JVM.
 */
class SecretsIT {
    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenCallsThatHeardPasswords_thenNoPasswordAppearsInLogsDatabaseSoundsOrCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        for (CallerScript script : scripts()) {
            CallTranscript call = hotline.call(script);
            commands.addAll(call.commands());
            HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        }
        List<String> passwords = HeardPasswords.all();
        assertThat(passwords).hasSizeGreaterThanOrEqualTo(3);

        String logs = hotline.logs().all();
        String database = DatabaseDump.of(hotline.dsl());
        String sounds = everythingIn(hotline.soundsDirectory());
        assertThat(logs).contains("new password in force");
        assertThat(database).contains("$argon2id$");
        for (String password : passwords) {
            assertThat(logs).as("logs").doesNotContain(password);
            assertThat(database).as("database dump").doesNotContain(password);
            assertThat(sounds).as("sounds directory").doesNotContain(password);
            assertThat(commands).as("AGI commands").noneMatch(command -> command.contains(password));
        }
        assertThat(commands).filteredOn(c -> c.startsWith("SET VARIABLE")).allMatch(c -> c.contains("AJ_AGISTATUS"));
    }

    private List<CallerScript> scripts() {
        Subscriber plain = hotline.freshSubscriber();
        Subscriber repeats = hotline.freshSubscriber();
        Subscriber hangsUp = hotline.freshSubscriber();
        return List.of(
                CallerScript.from(plain.phone()).keys(plain.code() + "#"),
                CallerScript.from(repeats.phone())
                        .keys(repeats.code() + "#")
                        .keys("1")
                        .keys("1")
                        .silence(),
                CallerScript.from(hangsUp.phone()).keys(hangsUp.code() + "#").hangUp());
    }

    /** File names and contents of a directory tree, as one text to search. */
    private static String everythingIn(Path directory) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(file).append('\n');
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return all.toString();
    }
}
