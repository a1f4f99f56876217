package vn.vss.ivr.call;

import java.util.Optional;

/** Reads digits aloud from the per-digit clips, in groups with a pause between them. */
final class DigitReader {
    private DigitReader() {}

    /**
     * Reads the digits until the caller presses one of {@code keys}; returns that key. A caller who
     * has heard enough of a read-back need not wait for the end of it.
     *
     * @param groups the size of each group in turn; the last size repeats (e.g. {4, 3, 3} reads a
     *     code as 0123 456 789)
     */
    static Optional<Character> readUntilKey(CallerChannel caller, CharSequence digits, String keys, int... groups) {
        int group = 0;
        int inGroup = 0;
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) {
                int size = groups[Math.min(group, groups.length - 1)];
                Prompt silence = inGroup == size ? Prompt.PAUSE : Prompt.GAP;
                if (inGroup == size) {
                    group++;
                    inGroup = 0;
                }
                Optional<Character> key = caller.playUntilKey(silence, keys);
                if (key.isPresent()) {
                    return key;
                }
            }
            Optional<Character> key = caller.playUntilKey(Prompt.digit(digits.charAt(i)), keys);
            if (key.isPresent()) {
                return key;
            }
            inGroup++;
        }
        return Optional.empty();
    }
}
