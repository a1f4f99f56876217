package vn.vss.ivr.call;

import java.nio.file.Path;

/** What came back when the caller was asked to speak: speech, a key instead, or nothing. */
public sealed interface SpokenAnswer {
    /** The caller spoke; the recording lives until {@link CallerChannel#discardRecordings()}. */
    record Speech(Path recording) implements SpokenAnswer {}

    /** The caller pressed a key instead of speaking (or to end speaking, for {@code #}). */
    record Key(char key) implements SpokenAnswer {}

    /** Nothing was recorded. */
    record Nothing() implements SpokenAnswer {}
}
