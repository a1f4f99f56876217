package vn.vss.ivr;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The options of one command, checked against the options that command knows before anything is
 * started: an unknown option (a typo such as {@code --demo} for {@code --demo-call}) or a value of
 * the wrong form stops the command with one line naming the option and the form expected, instead
 * of being ignored or failing later with a library's words.
 */
final class CommandOptions {
    /** What an option takes. */
    enum Kind {
        FLAG,
        TEXT,
        WHOLE_NUMBER,
        NUMBER,
        DATE,
        CHOICE
    }

    /** One known option: its kind and the form shown in messages ({@code YYYY-MM-DD}, {@code vi|en}). */
    record Option(String name, Kind kind, String form) {
        static Option flag(String name) {
            return new Option(name, Kind.FLAG, "");
        }
    }

    private static final Map<String, List<Option>> KNOWN = known();
    /** The commands that take a plain word (their input file); any other plain word is a mistake. */
    private static final java.util.Set<String> TAKE_A_FILE = java.util.Set.of("import-subscribers", "calltest-check");

    private final Map<String, String> values;
    private final List<String> arguments;

    private CommandOptions(Map<String, String> values, List<String> arguments) {
        this.values = values;
        this.arguments = arguments;
    }

    private static Map<String, List<Option>> known() {
        Map<String, List<Option>> known = new LinkedHashMap<>();
        known.put("serve", List.of(Option.flag("demo-call")));
        known.put(
                "call",
                List.of(
                        new Option("from", Kind.TEXT, "NUMBER"),
                        new Option("keys", Kind.TEXT, "KEYS"),
                        new Option("lang", Kind.CHOICE, "vi|en"),
                        new Option("hangup-at", Kind.WHOLE_NUMBER, "N, the AGI command at which to hang up"),
                        Option.flag("show-password")));
        known.put("import-subscribers", List.of());
        known.put(
                "charges-report",
                List.of(
                        new Option("from", Kind.DATE, "YYYY-MM-DD"),
                        new Option("to", Kind.DATE, "YYYY-MM-DD"),
                        Option.flag("csv")));
        known.put(
                "bench-keypad",
                List.of(
                        new Option("calls", Kind.WHOLE_NUMBER, "N"),
                        new Option("concurrency", Kind.WHOLE_NUMBER, "C"),
                        new Option("matches", Kind.WHOLE_NUMBER, "M"),
                        new Option("instances", Kind.CHOICE, "1|2")));
        known.put(
                "bench-speech",
                List.of(
                        new Option("codes", Kind.WHOLE_NUMBER, "N"),
                        new Option("seed", Kind.WHOLE_NUMBER, "N"),
                        new Option("model", Kind.TEXT, "DIR"),
                        new Option("variants", Kind.CHOICE, "all|short"),
                        new Option("grouped", Kind.CHOICE, "yes|no"),
                        new Option("end-silence", Kind.NUMBER, "SECONDS")));
        known.put(
                "bench-load",
                List.of(
                        new Option("calls", Kind.WHOLE_NUMBER, "N"),
                        new Option("hold-seconds", Kind.WHOLE_NUMBER, "SECONDS"),
                        new Option("ramp-seconds", Kind.WHOLE_NUMBER, "SECONDS"),
                        new Option("instances", Kind.CHOICE, "1|2")));
        known.put(
                "bench-soak",
                List.of(
                        new Option("minutes", Kind.WHOLE_NUMBER, "N"),
                        new Option("rate", Kind.NUMBER, "CALLS_PER_SECOND"),
                        new Option("call-seconds", Kind.WHOLE_NUMBER, "SECONDS")));
        known.put("calltest-check", List.of(new Option("wait", Kind.WHOLE_NUMBER, "SECONDS")));
        known.put(
                "speak-code",
                List.of(
                        new Option("digits", Kind.TEXT, "DIGITS"),
                        new Option("out", Kind.TEXT, "FILE.wav, or - for standard output"),
                        Option.flag("check")));
        known.put(
                "sms-in-doubt",
                List.of(
                        new Option("resend", Kind.WHOLE_NUMBER, "ID of a notice in doubt"),
                        new Option("mark-sent", Kind.WHOLE_NUMBER, "ID of a notice in doubt")));
        known.put("settings", List.of(Option.flag("defaults")));
        return known;
    }

    static boolean isCommand(String command) {
        return KNOWN.containsKey(command);
    }

    /**
     * Reads {@code args} (the words after the command) for {@code command}.
     *
     * @throws IllegalArgumentException naming the command, the option and what it takes
     */
    static CommandOptions parse(String command, List<String> args) {
        Map<String, Option> known = KNOWN.getOrDefault(command, List.of()).stream()
                .collect(Collectors.toMap(Option::name, option -> option));
        Map<String, String> values = new HashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (!word.startsWith("--")) {
                if (!TAKE_A_FILE.contains(command)) {
                    throw new IllegalArgumentException(
                            command + ": unexpected argument '" + word + "' (options: " + listing(command) + ")");
                }
                arguments.add(word);
                continue;
            }
            Option option = known.get(word.substring(2));
            if (option == null) {
                throw new IllegalArgumentException(
                        command + ": unknown option " + word + " (known: " + listing(command) + ")");
            }
            if (option.kind() == Kind.FLAG) {
                values.put(option.name(), "");
                continue;
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new IllegalArgumentException(command + ": " + word + " needs a value: " + option.form());
            }
            String value = args.get(++i);
            check(command, option, value);
            values.put(option.name(), value);
        }
        return new CommandOptions(values, arguments);
    }

    /** The options as name and value ({@code ""} for a flag), each already checked. */
    Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** The words that are not options, such as the CSV file of import-subscribers. */
    List<String> arguments() {
        return List.copyOf(arguments);
    }

    /** Stops a command that takes {@code count} plain words but was given another number. */
    void requireArguments(String command, int count, String usage) {
        if (arguments.size() != count) {
            String given = arguments.isEmpty() ? "none" : "'" + String.join("' '", arguments) + "'";
            throw new IllegalArgumentException(command + ": expected " + usage + ", given " + given);
        }
    }

    private static void check(String command, Option option, String value) {
        boolean fits =
                switch (option.kind()) {
                    case WHOLE_NUMBER -> value.matches("[0-9]{1,9}");
                    case NUMBER -> value.matches("[0-9]{1,9}(\\.[0-9]{1,9})?");
                    case DATE -> isDate(value);
                    case CHOICE -> List.of(option.form().split("\\|")).contains(value);
                    case FLAG, TEXT -> true;
                };
        if (!fits) {
            throw new IllegalArgumentException(command + ": --" + option.name() + " '" + value + "' is not "
                    + expected(option.kind()) + ": " + option.form());
        }
    }

    private static String expected(Kind kind) {
        return switch (kind) {
            case WHOLE_NUMBER -> "a whole number of 0 or more";
            case NUMBER -> "a number of 0 or more";
            case DATE -> "a date";
            case CHOICE -> "one of";
            case FLAG, TEXT -> "valid";
        };
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String listing(String command) {
        List<Option> options = KNOWN.getOrDefault(command, List.of());
        if (options.isEmpty()) {
            return "none";
        }
        return options.stream().map(option -> "--" + option.name()).collect(Collectors.joining(", "));
    }
}
