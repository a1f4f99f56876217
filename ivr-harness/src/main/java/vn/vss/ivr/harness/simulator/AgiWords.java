package vn.vss.ivr.harness.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits an AGI command line as Asterisk does: words separated by spaces, double quotes group, backslash escapes. */
final class AgiWords {
    private static final List<String> TWO_WORD_VERBS =
            List.of("STREAM FILE", "GET DATA", "SET VARIABLE", "GET VARIABLE", "RECORD FILE", "CHANNEL STATUS");
    private static final Set<String> KNOWN = Set.of(
            "ANSWER",
            "STREAM FILE",
            "GET DATA",
            "WAIT FOR DIGIT",
            "RECORD FILE",
            "HANGUP",
            "SET VARIABLE",
            "GET VARIABLE",
            "GET FULL VARIABLE",
            "CHANNEL STATUS",
            "VERBOSE",
            "EXEC",
            "NOOP");

    private AgiWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The command's verb, e.g. {@code STREAM FILE}; for a verb of two words the file is word 2. */
    static String verb(List<String> words) {
        if (words.isEmpty()) {
            return "";
        }
        String first = words.get(0).toUpperCase(java.util.Locale.ROOT);
        if (words.size() >= 3 && first.equals("WAIT") && words.get(1).equalsIgnoreCase("FOR")) {
            return "WAIT FOR DIGIT";
        }
        if (words.size() >= 3 && first.equals("GET") && words.get(1).equalsIgnoreCase("FULL")) {
            words.remove(1);
            return "GET FULL VARIABLE";
        }
        if (words.size() >= 2) {
            String two = first + " " + words.get(1).toUpperCase(java.util.Locale.ROOT);
            if (TWO_WORD_VERBS.contains(two)) {
                return two;
            }
        }
        return first;
    }

    static boolean isKnown(String verb) {
        return KNOWN.contains(verb);
    }

    static long number(String word, long fallback) {
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
