package vn.vss.ivr.harness.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and heap of this process, with and without a loaded model. */
record ProcessMemory(long rssBeforeKb, long rssAfterKb, long heapUsedBytes) {
    static ProcessMemory measure(long rssBeforeKb) {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return new ProcessMemory(rssBeforeKb, rssKb(), runtime.totalMemory() - runtime.freeMemory());
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    String describe() {
        if (rssBeforeKb < 0 || rssAfterKb < 0) {
            return "Memory: VmRSS not available on this system";
        }
        return String.format(
                "Memory: RSS %.0f MB before the Vosk model, %.0f MB with it loaded (+%.0f MB); Java heap in use"
                        + " %.0f MB (the model lives outside the heap; MaryTTS is loaded too)",
                rssBeforeKb / 1024.0,
                rssAfterKb / 1024.0,
                (rssAfterKb - rssBeforeKb) / 1024.0,
                heapUsedBytes / 1024.0 / 1024.0);
    }
}
