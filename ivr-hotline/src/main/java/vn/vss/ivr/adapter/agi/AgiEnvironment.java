package vn.vss.ivr.adapter.agi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code agi_} environment block of one FastAGI connection, checked line by line.
 *
 * <p>Asterisk decodes {@code %0A} and {@code %0D} in a SIP From user and writes them raw into
 * {@code agi_callerid} (and the display name into {@code agi_calleridname}), so a caller can add
 * lines of their own to the block: a second {@code agi_callerid}, a line that is no key at all, or a
 * blank line that ends the block early and leaves Asterisk's remaining lines to arrive where replies
 * are expected. asterisk-java keeps the last value of a repeated key, so the raw lines are checked
 * here instead. A block that fails any check is <em>refused</em>: the call is served, but as one from
 * no valid number, so it can never verify. Only the first value of each key is handed on.
 */
final class AgiEnvironment {
    /** Why a block was refused; each word is a label of {@code ivr_agi_environment_rejected_total}. */
    enum Rejection {
        /** A key appears twice: someone added a line. */
        REPEATED_KEY("repeated_key"),
        /** A line that is not {@code agi_<lower-case name>: <value>}. */
        MALFORMED_LINE("malformed_line"),
        /** A value holding a control character (a stray {@code \r}, a tab, ...). */
        CONTROL_CHARACTER("control_character"),
        /** A key every Asterisk 22 block has is missing: the block ended early. */
        MISSING_KEY("missing_key"),
        /** Lines came after the blank line that ended the block, before the first reply. */
        LINES_AFTER_END("lines_after_end");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** Every key a real Asterisk 22 sends to a FastAGI server (see the captured transcripts). */
    static final Set<String> ALWAYS_SENT = Set.of(
            "agi_network",
            "agi_network_script",
            "agi_request",
            "agi_channel",
            "agi_language",
            "agi_type",
            "agi_uniqueid",
            "agi_version",
            "agi_callerid",
            "agi_calleridname",
            "agi_callingpres",
            "agi_callingani2",
            "agi_callington",
            "agi_callingtns",
            "agi_dnid",
            "agi_rdnis",
            "agi_context",
            "agi_extension",
            "agi_priority",
            "agi_enhanced",
            "agi_accountcode",
            "agi_threadid");

    private static final Pattern LINE = Pattern.compile("(agi_[a-z][a-z0-9_]{0,63}): (.*)", Pattern.DOTALL);

    private final Map<String, String> firstValues;
    private final Optional<Rejection> rejection;
    private final String offendingKey;

    private AgiEnvironment(Map<String, String> firstValues, Optional<Rejection> rejection, String offendingKey) {
        this.firstValues = firstValues;
        this.rejection = rejection;
        this.offendingKey = offendingKey;
    }

    /** Checks the lines of one block, without the blank line that ends it. */
    static AgiEnvironment check(List<String> lines) {
        Map<String, String> first = new LinkedHashMap<>();
        Rejection rejection = null;
        String offendingKey = null;
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                rejection = firstOf(rejection, Rejection.MALFORMED_LINE);
                continue;
            }
            String key = matcher.group(1);
            String value = matcher.group(2);
            if (first.containsKey(key)) {
                if (rejection == null) {
                    offendingKey = key;
                }
                rejection = firstOf(rejection, Rejection.REPEATED_KEY);
                continue;
            }
            if (hasControlCharacter(value)) {
                if (rejection == null) {
                    offendingKey = key;
                }
                rejection = firstOf(rejection, Rejection.CONTROL_CHARACTER);
            }
            first.put(key, value);
        }
        if (rejection == null && !first.keySet().containsAll(ALWAYS_SENT)) {
            rejection = Rejection.MISSING_KEY;
            // A name from the fixed list, never from the block.
            offendingKey = ALWAYS_SENT.stream()
                    .filter(key -> !first.containsKey(key))
                    .sorted()
                    .findFirst()
                    .orElse(null);
        }
        return new AgiEnvironment(first, Optional.ofNullable(rejection), offendingKey);
    }

    /** The same block, refused because lines followed its end. */
    AgiEnvironment withLinesAfterEnd() {
        return rejection.isPresent()
                ? this
                : new AgiEnvironment(firstValues, Optional.of(Rejection.LINES_AFTER_END), null);
    }

    Optional<Rejection> rejection() {
        return rejection;
    }

    /**
     * Says what was wrong without any value: a key name is named only when it is well formed
     * ({@code agi_} and lower-case letters, digits and underscores), so nothing a caller sent is
     * echoed beyond such a name.
     */
    String describeRejection() {
        return rejection
                .map(r -> offendingKey == null ? r.label() : r.label() + " " + offendingKey)
                .orElse("none");
    }

    /** The block as asterisk-java should read it: one line per key, with its first value. */
    List<String> linesToHandOn() {
        List<String> lines = new ArrayList<>(firstValues.size());
        firstValues.forEach((key, value) -> lines.add(key + ": " + value));
        return lines;
    }

    private static Rejection firstOf(Rejection already, Rejection found) {
        return already != null ? already : found;
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
