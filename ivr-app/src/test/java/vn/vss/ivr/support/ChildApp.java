package vn.vss.ivr.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The hotline's {@code serve} command in a JVM of its own, so that a test can kill or signal it. */
public final class ChildApp {
    private ChildApp() {}

    /** Starts {@code serve} with these environment variables; its output goes to {@code log}. */
    public static Process start(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("vn.vss.ivr.Main");
        command.add("serve");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits (at most a minute) until {@code /health/ready} answers 200 on this HTTP port. */
    public static void awaitReady(int httpPort) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                if (RawHttp.get(httpPort, "/health/ready", 2_000).startsWith("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the app did not become ready");
    }
}
