package vn.vss.ivr.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * The hotline's own jar (ivr-hotline.jar, the production code) holds the hotline only: no simulated
 * Asterisk, no benchmark, no command line. Those come in their own jars, which the command line
 * puts beside it.
 */
class ProductionJarTest {
    @Test
    void theHotlineJarHoldsNoSimulatorNoBenchmarkAndNoCommandLine() throws Exception {
        Path hotline = packagedOrCompiled(Hotline.class);
        List<String> classes = classesIn(hotline);

        assertThat(classes)
                .as("classes of %s", hotline)
                .contains(
                        "vn/vss/ivr/hotline/Hotline.class",
                        "vn/vss/ivr/call/PasswordResetCall.class",
                        "vn/vss/ivr/call/VerificationRules.class",
                        "vn/vss/ivr/audio/TelephoneAudio.class",
                        "vn/vss/ivr/adapter/agi/HotlineAgiServer.class")
                .noneMatch(name -> name.startsWith("vn/vss/ivr/harness/"))
                .noneMatch(name -> name.contains("Benchmark") || name.contains("Fake") || name.contains("simulator"))
                .noneMatch(name -> name.matches("vn/vss/ivr/[^/]+\\.class"));
    }

    @Test
    void theHarnessComesFromAnotherJar() throws Exception {
        assertThat(packagedOrCompiled(FakeAsterisk.class)).isNotEqualTo(packagedOrCompiled(Hotline.class));
    }

    /** The jar a class was loaded from; for classes compiled but not yet packaged, the jar when built. */
    private static Path packagedOrCompiled(Class<?> type) throws URISyntaxException {
        Path location =
                Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            String module = location.getParent().getParent().getFileName().toString();
            Path jar = location.resolveSibling(module + ".jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        return location;
    }

    private static List<String> classesIn(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> location.relativize(f).toString().replace('\\', '/'))
                        .toList();
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .toList();
        }
    }
}
