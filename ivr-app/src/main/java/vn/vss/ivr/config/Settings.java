package vn.vss.ivr.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from environment variables. Every setting is declared once with its default and
 * meaning (the README's table is generated from the same list); a bad value stops start-up with a
 * message naming the variable.
 */
public final class Settings {
    /** One setting: its variable, default and meaning. */
    public record Setting(String variable, String defaultValue, String meaning) {}

    private final Map<String, String> environment;
    private final Map<String, Setting> declared = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, String> environment) {
        this.environment = environment;
    }

    public List<Setting> declared() {
        return List.copyOf(declared.values());
    }

    public String string(String variable, String defaultValue, String meaning) {
        declared.put(variable, new Setting(variable, defaultValue, meaning));
        String value = environment.get(variable);
        return value == null || value.isBlank() ? defaultValue : value.strip();
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

    /** A duration as ISO-8601 ({@code PT24H}) or a number with a unit ({@code 500ms}, {@code 5s}, {@code 15m}, {@code 24h}). */
    public Duration duration(String variable, String defaultValue, String meaning) {
        return parse(variable, defaultValue, meaning, text -> {
            Duration value = parseDuration(text);
            if (value.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return value;
        });
    }

    public Path path(String variable, String defaultValue, String meaning) {
        return parse(variable, defaultValue, meaning, Path::of);
    }

    public InetAddress address(String variable, String defaultValue, String meaning) {
        return parse(variable, defaultValue, meaning, text -> {
            if (!text.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("must be an IP address");
            }
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("must be an IP address");
            }
        });
    }

    public <T> T parse(String variable, String defaultValue, String meaning, Function<String, T> parser) {
        String text = string(variable, defaultValue, meaning);
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            problems.add(variable + "='" + text + "': " + describe(e));
            try {
                return parser.apply(defaultValue);
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** Records a value that is well-formed on its own but not together with another setting. */
    public void reject(String variable, Object value, String why) {
        problems.add(variable + "='" + value + "': " + why);
    }

    /** Stops start-up if any value was bad, listing every bad variable at once. */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
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
