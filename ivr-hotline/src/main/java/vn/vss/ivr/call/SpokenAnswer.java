package vn.vss.ivr.call;

import java.nio.file.Path;

/**
 * What came back when the caller was asked to speak: speech, a key instead, nothing, or speech that
 * was recorded but cannot be read.
 */
public sealed interface SpokenAnswer {
    /** The caller spoke; the recording lives until {@link CallerChannel#discardRecordings()}. */
    record Speech(Path recording) implements SpokenAnswer {}

    /** The caller pressed a key instead of speaking (or to end speaking, for {@code #}). */
    record Key(char key) implements SpokenAnswer {}

    /** Nothing was recorded. */
    record Nothing() implements SpokenAnswer {}

    /**
     * The caller spoke, but the recording cannot be read here (e.g. Asterisk writes it somewhere the
     * app does not look). Not the caller's doing: handled like a recogniser failure.
     */
    record Unreadable() implements SpokenAnswer {}
}
