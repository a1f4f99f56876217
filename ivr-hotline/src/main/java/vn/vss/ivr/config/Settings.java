package vn.vss.ivr.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads settings from environment variables. Every setting is declared once with its default and
 * meaning (the README's table is generated from the same list); a bad value stops start-up with a
 * message naming the variable.
 */
public final class Settings {
    /**
     * One setting: its variable, default and meaning, and the value in effect ({@code fromEnvironment}
     * false when it is the default). Secrets are masked in {@code value}; {@code defaultValue} may be a
     * description such as "CPU cores" when the default depends on the machine.
     */
    public record Setting(
            String variable,
            String defaultValue,
            String meaning,
            String value,
            boolean fromEnvironment,
            boolean defaultDescribed) {}

    /** A bad value ({@code text} is null for a problem that spans several settings). */
    private record Problem(String variable, String text, String reason) {}

    private final Map<String, String> environment;
    private final Map<String, Setting> declared = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<String>> masks = new HashMap<>();
    private final Map<String, String> defaultDescriptions = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    public Settings(Map<String, String> environment) {
        this.environment = environment;
    }

    public List<Setting> declared() {
        return declared.values().stream()
                .map(setting -> new Setting(
                        setting.variable(),
                        defaultDescriptions.getOrDefault(setting.variable(), setting.defaultValue()),
                        setting.meaning(),
                        shown(setting.variable(), setting.value()),
                        setting.fromEnvironment(),
                        defaultDescriptions.containsKey(setting.variable())))
                .toList();
    }

    public String string(String variable, String defaultValue, String meaning) {
        String value = environment.get(variable);
        boolean set = value != null && !value.isBlank();
        String effective = set ? value.strip() : defaultValue;
        declared.put(variable, new Setting(variable, defaultValue, meaning, effective, set, false));
        return effective;
    }

    /**
     * Shows {@code variable}'s value through {@code mask} wherever it is printed (the settings table,
     * error messages): for passwords, and URLs that may hold one.
     */
    public void mask(String variable, UnaryOperator<String> mask) {
        masks.put(variable, mask);
    }

    /** Describes a default that depends on the machine, so that the README's table does not show this one's. */
    public void describeDefault(String variable, String description) {
        defaultDescriptions.put(variable, description);
    }

    public Optional<String> optional(String variable, String meaning) {
        String value = string(variable, "", meaning);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public int integer(String variable, int defaultValue, int min, int max, String meaning) {
        return parse(variable, String.valueOf(defaultValue), meaning, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    /**
     * A duration as ISO-8601 ({@code PT24H}) or a number with a unit ({@code 500ms}, {@code 5s}, {@code 15m},
     * {@code 24h}), between {@code least} and {@code most} inclusive. Every duration has bounds: a zero time-out
     * means "wait forever" to a socket or a pool, and a huge one overflows the milliseconds some libraries
     * take as an int.
     */
    public Duration duration(String variable, String defaultValue, String least, String most, String meaning) {
        Duration min = parseDuration(least);
        Duration max = parseDuration(most);
        return parse(variable, defaultValue, meaning, text -> {
            Duration value = parseDuration(text);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException("must be between " + least + " and " + most);
            }
            return value;
        });
    }

    public Path path(String variable, String defaultValue, String meaning) {
        return parse(variable, defaultValue, meaning, Path::of);
    }

    /**
     * A literal IPv4 or IPv6 address, or a host name with at least one letter (resolved now). A bare
     * number is refused: the resolver would read {@code 1234} as the address 0.0.4.210.
     */
    public InetAddress address(String variable, String defaultValue, String meaning) {
        return parse(variable, defaultValue, meaning, Settings::parseAddress);
    }

    public <T> T parse(String variable, String defaultValue, String meaning, Function<String, T> parser) {
        String text = string(variable, defaultValue, meaning);
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            problems.add(new Problem(variable, text, describe(e)));
            try {
                return parser.apply(defaultValue);
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** Records a value that is well-formed on its own but not together with another setting. */
    public void reject(String variable, Object value, String why) {
        problems.add(new Problem(variable, String.valueOf(value), why));
    }

    /**
     * Records a problem that involves several settings, each valid on its own (such as a lower limit
     * above an upper one); {@code problem} names them.
     */
    public void check(boolean holds, String problem) {
        if (!holds) {
            problems.add(new Problem(null, null, problem));
        }
    }

    /** Whether these variables had valid values: checks across settings only make sense then. */
    public boolean valid(String... variables) {
        List<String> names = List.of(variables);
        return problems.stream().noneMatch(problem -> problem.variable() != null && names.contains(problem.variable()));
    }

    /** Stops start-up if any value was bad, listing every bad variable at once. */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(
                    problems.stream().map(this::describe).toList());
        }
    }

    private String describe(Problem problem) {
        if (problem.variable() == null) {
            return problem.reason();
        }
        return problem.variable() + "='" + shown(problem.variable(), problem.text()) + "': " + problem.reason();
    }

    private String shown(String variable, String value) {
        return masks.getOrDefault(variable, UnaryOperator.identity()).apply(value);
    }

    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("is not a duration (examples: 500ms, 5s, 15m, 24h, PT24H)");
        }
        var matcher = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)").matcher(t);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("is not a duration (examples: 500ms, 5s, 15m, 24h, PT24H)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.*[a-zA-Z])[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*");
    private static final String ADDRESS_FORMS =
            "must be an IPv4 address (127.0.0.1), an IPv6 address (::1) or a host name with at least one letter";

    static InetAddress parseAddress(String text) {
        boolean ipv4 = IPV4.matcher(text).matches();
        boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (ipv4 && !java.util.Arrays.stream(text.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255)) {
            throw new IllegalArgumentException(ADDRESS_FORMS);
        }
        if (!ipv4 && !ipv6 && !HOST_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException(ADDRESS_FORMS);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    ipv4 || ipv6 ? ADDRESS_FORMS : "host name '" + text + "' cannot be resolved");
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof NumberFormatException) {
            return "is not a whole number";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Thrown when settings are invalid; its message lists each bad variable. */
    public static final class InvalidSettingsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidSettingsException(List<String> problems) {
            super("invalid settings:\n  " + String.join("\n  ", problems));
        }
    }
}
