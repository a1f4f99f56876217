package vn.vss.ivr.config;

import java.util.List;

/**
 * The settings as Markdown tables: the defaults (the README's table is this output, so it does not
 * depend on the machine or the environment it was made in), and the values in effect.
 */
public final class SettingsTable {
    private SettingsTable() {}

    /** Variable, default and meaning of every setting. */
    public static String defaults(List<Settings.Setting> settings) {
        StringBuilder table = new StringBuilder("| Variable | Default | Meaning |\n|---|---|---|\n");
        for (Settings.Setting s : settings) {
            table.append("| `%s` | %s | %s |%n".formatted(s.variable(), defaultCell(s), s.meaning()));
        }
        return table.toString();
    }

    /** Variable, value in effect (secrets hidden), where it comes from, and meaning of every setting. */
    public static String effective(List<Settings.Setting> settings) {
        StringBuilder table = new StringBuilder("| Variable | Value | From | Meaning |\n|---|---|---|---|\n");
        for (Settings.Setting s : settings) {
            table.append("| `%s` | %s | %s | %s |%n"
                    .formatted(
                            s.variable(),
                            literal(s.value()),
                            s.fromEnvironment() ? "environment" : "default",
                            s.meaning()));
        }
        return table.toString();
    }

    /** A machine-dependent default is described, not shown: "(CPU cores)". */
    private static String defaultCell(Settings.Setting s) {
        return s.defaultDescribed() ? "(" + s.defaultValue() + ")" : literal(s.defaultValue());
    }

    private static String literal(String value) {
        return value.isEmpty() ? "(empty)" : "`" + value + "`";
    }
}
