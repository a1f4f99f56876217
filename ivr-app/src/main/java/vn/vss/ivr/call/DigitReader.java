package vn.vss.ivr.call;

/** Reads digits aloud from the per-digit clips, in groups with a pause between them. */
final class DigitReader {
    private DigitReader() {}

    /**
     * @param groups the size of each group in turn; the last size repeats (e.g. {4} reads 1234 5678,
     *     {4, 3, 3} reads a code as 0123 456 789)
     */
    static void read(CallerChannel caller, CharSequence digits, int... groups) {
        int group = 0;
        int inGroup = 0;
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) {
                int size = groups[Math.min(group, groups.length - 1)];
                if (inGroup == size) {
                    caller.play(Prompt.PAUSE);
                    group++;
                    inGroup = 0;
                } else {
                    caller.play(Prompt.GAP);
                }
            }
            caller.play(Prompt.digit(digits.charAt(i)));
            inGroup++;
        }
    }
}
