package vn.vss.ivr.harness.speech;

import vn.vss.ivr.call.Recognition;

/** What one recording of the speech benchmark gave, and how long the caller waited for it. */
record Decoded(String expected, Recognition recognition, double latencySeconds, double audioSeconds, double lineSnrDb) {
    boolean exact() {
        return recognition.status() == Recognition.Status.DIGITS
                && recognition.digits().equals(expected);
    }

    /** A reading of the right length, which the call reads back for confirmation. */
    boolean readBack() {
        return recognition.status() == Recognition.Status.DIGITS
                && recognition.digits().length() == expected.length();
    }

    /** 1 - edit distance / length: a dropped digit costs one digit, not the rest of the code. */
    double digitAccuracy() {
        String heard = recognition.status() == Recognition.Status.DIGITS ? recognition.digits() : "";
        return Math.max(0, 1 - (double) editDistance(expected, heard) / expected.length());
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
