package vn.vss.ivr.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, headless, on a page of a test hotline: the DOM after scripts ran, or a screenshot. */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {}

    /** The page's DOM once its scripts ran (5 s of virtual time). */
    public static String dom(String url, int width, int height) throws IOException, InterruptedException {
        return run(url, width, height, 5_000, "--dump-dom");
    }

    /** The page's DOM after {@code virtualMillis} of the page's time, so that its timers have fired. */
    public static String domAfter(String url, int width, int height, int virtualMillis)
            throws IOException, InterruptedException {
        return run(url, width, height, virtualMillis, "--dump-dom");
    }

    /** A PNG of the page's window, {@code width} by {@code height} pixels. */
    public static void screenshot(String url, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(url, width, height, 5_000, "--screenshot=" + png.toAbsolutePath());
        assertThat(png).as("screenshot of %s", url).exists();
    }

    private static String run(String url, int width, int height, int virtualMillis, String what)
            throws IOException, InterruptedException {
        assertThat(Files.isExecutable(CHROMIUM))
                .as(
                        "Debian's chromium package is needed for this test (the build installs it as root: tools/install-test-tools.sh)")
                .isTrue();
        Path profile = Files.createTempDirectory("chromium-profile-");
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + virtualMillis,
                "--window-size=" + width + "," + height));
        command.add(what);
        command.add(url);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("chromium finished")
                .isTrue();
        return output;
    }
}
