package vn.vss.ivr.adapter.metrics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.LastHour.Minute;

/**
 * Small charts of the last hour's minutes, drawn on the server as inline SVG: no script, nothing
 * fetched. Each chart has a title and a description for screen readers, and every bar and point a
 * {@code <title>} with its numbers, which browsers also show on hover. Labels from the database are
 * escaped; colours come only from the fixed table below.
 */
final class MinuteCharts {
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(VIETNAM);

    /** Outcomes in the order they are stacked (best at the bottom) and their colours. */
    static final Map<String, String> OUTCOME_COLOURS = orderedColours();

    private static final String UNKNOWN_OUTCOME_COLOUR = "#424242";
    private static final String P50_COLOUR = "#1565c0";
    private static final String P95_COLOUR = "#c62828";

    private static final int WIDTH = 640;
    private static final int HEIGHT = 190;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 26;
    private static final double PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final double PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

    private MinuteCharts() {}

    private static Map<String, String> orderedColours() {
        Map<String, String> colours = new java.util.LinkedHashMap<>();
        colours.put(CallOutcome.PASSWORD_HEARD.label(), "#2e7d32");
        colours.put(CallOutcome.HUNG_UP_DURING_PASSWORD.label(), "#f9a825");
        colours.put(CallOutcome.NOT_VERIFIED.label(), "#ef6c00");
        colours.put(CallOutcome.NO_VALID_CODE.label(), "#8d6e63");
        colours.put(CallOutcome.HUNG_UP.label(), "#78909c");
        colours.put(CallOutcome.MAX_DURATION.label(), "#6a1b9a");
        colours.put(CallOutcome.INTERRUPTED.label(), "#1e88e5");
        colours.put(CallOutcome.SERVICE_UNAVAILABLE.label(), "#c62828");
        colours.put(CallOutcome.ENDED_IN_MENU.label(), "#b0bec5");
        return java.util.Collections.unmodifiableMap(colours);
    }

    static String colour(String outcome) {
        return OUTCOME_COLOURS.getOrDefault(outcome, UNKNOWN_OUTCOME_COLOUR);
    }

    /** "password_heard" as people read it: "password heard". */
    static String readable(String outcome) {
        return outcome.replace('_', ' ');
    }

    /** Known outcomes in stacking order, then any other the database holds, by name. */
    static List<String> stackingOrder(List<Minute> minutes, Function<Minute, Map<String, Integer>> counts) {
        List<String> order = new ArrayList<>();
        java.util.TreeSet<String> others = new java.util.TreeSet<>();
        for (Minute minute : minutes) {
            others.addAll(counts.apply(minute).keySet());
        }
        for (String known : OUTCOME_COLOURS.keySet()) {
            if (others.remove(known)) {
                order.add(known);
            }
        }
        order.addAll(others);
        return order;
    }

    /**
     * Bars of calls per minute, stacked by outcome.
     *
     * @param id unique on the page, for the title and description references
     * @param what what is counted, for the title and each bar's tooltip ("calls", "spoken codes")
     */
    static String stackedBars(
            String id, String title, String what, List<Minute> minutes, Function<Minute, Map<String, Integer>> counts) {
        List<String> order = stackingOrder(minutes, counts);
        int most = 0;
        int total = 0;
        Instant busiest = null;
        for (Minute minute : minutes) {
            int calls = sum(counts.apply(minute));
            total += calls;
            if (calls > most) {
                most = calls;
                busiest = minute.start();
            }
        }
        double top = niceCeiling(most);
        StringBuilder svg = open(
                id,
                title,
                total == 0
                        ? "No " + what + " in this hour."
                        : String.format(
                                Locale.ROOT,
                                "%d %s in the hour; the busiest minute, %s, had %d.",
                                total,
                                what,
                                CLOCK.format(busiest),
                                most));
        axes(svg, minutes, top, "");
        double slot = PLOT_WIDTH / minutes.size();
        for (int i = 0; i < minutes.size(); i++) {
            Map<String, Integer> byOutcome = counts.apply(minutes.get(i));
            int calls = sum(byOutcome);
            if (calls == 0) {
                continue;
            }
            StringBuilder tip = new StringBuilder()
                    .append(CLOCK.format(minutes.get(i).start()))
                    .append(" — ")
                    .append(calls)
                    .append(' ')
                    .append(what)
                    .append(':');
            StringBuilder bars = new StringBuilder();
            double x = LEFT + i * slot + slot * 0.12;
            double base = TOP + PLOT_HEIGHT;
            for (String outcome : order) {
                int n = byOutcome.getOrDefault(outcome, 0);
                if (n == 0) {
                    continue;
                }
                double h = PLOT_HEIGHT * n / top;
                base -= h;
                bars.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                        x,
                        base,
                        slot * 0.76,
                        h,
                        colour(outcome)));
                tip.append(' ').append(readable(outcome)).append(' ').append(n).append(',');
            }
            tip.setLength(tip.length() - 1);
            svg.append("<g class=\"bar\"><title>")
                    .append(Html.escape(tip.toString()))
                    .append("</title>")
                    .append(bars)
                    .append("</g>");
        }
        svg.append("</svg>");
        return svg.append(legend(order)).toString();
    }

    /** The time to password of each minute: p50 as a solid line, p95 dashed; minutes without one are gaps. */
    static String timeToPassword(String id, List<Minute> minutes) {
        double slowest = 0;
        int points = 0;
        for (Minute minute : minutes) {
            if (minute.p95SecondsToPassword().isPresent()) {
                slowest = Math.max(slowest, minute.p95SecondsToPassword().getAsDouble());
                points++;
            }
        }
        double top = niceCeiling(Math.max(1, slowest));
        StringBuilder svg = open(
                id,
                "Time to password, p50 and p95 (seconds)",
                points == 0
                        ? "No password was heard in this hour."
                        : String.format(
                                Locale.ROOT,
                                "Seconds from answer until the new password was in force, for the calls that ended in "
                                        + "each minute; %d minutes with a password, slowest p95 %.0f s.",
                                points,
                                slowest));
        axes(svg, minutes, top, " s");
        double slot = PLOT_WIDTH / minutes.size();
        svg.append(line(minutes, slot, top, Minute::p50SecondsToPassword, P50_COLOUR, ""));
        svg.append(line(minutes, slot, top, Minute::p95SecondsToPassword, P95_COLOUR, " stroke-dasharray=\"5 3\""));
        for (int i = 0; i < minutes.size(); i++) {
            Minute minute = minutes.get(i);
            if (minute.p50SecondsToPassword().isEmpty()) {
                continue;
            }
            double x = LEFT + (i + 0.5) * slot;
            double p50 = minute.p50SecondsToPassword().getAsDouble();
            double p95 = minute.p95SecondsToPassword().orElse(p50);
            String tip = String.format(
                    Locale.ROOT,
                    "%s — p50 %.0f s, p95 %.0f s (%d password%s heard)",
                    CLOCK.format(minute.start()),
                    p50,
                    p95,
                    minute.passwordsHeard(),
                    minute.passwordsHeard() == 1 ? "" : "s");
            svg.append("<g class=\"point\"><title>").append(Html.escape(tip)).append("</title>");
            svg.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\"/>",
                    x,
                    y(p50, top),
                    P50_COLOUR));
            svg.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" fill=\"%s\"/>",
                    x,
                    y(p95, top),
                    P95_COLOUR));
            // A wider invisible target, so the numbers show wherever the pointer is in the minute.
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.0f\" fill=\"transparent\"/>",
                    LEFT + i * slot,
                    TOP,
                    slot,
                    PLOT_HEIGHT));
            svg.append("</g>");
        }
        svg.append("</svg>");
        svg.append("<ul class=\"legend\">")
                .append(swatch(P50_COLOUR, "p50 (median)"))
                .append(swatch(P95_COLOUR, "p95 (dashed)"))
                .append("</ul>");
        return svg.toString();
    }

    private static String line(
            List<Minute> minutes,
            double slot,
            double top,
            Function<Minute, OptionalDouble> value,
            String colour,
            String dash) {
        StringBuilder path = new StringBuilder();
        boolean drawing = false;
        for (int i = 0; i < minutes.size(); i++) {
            OptionalDouble seconds = value.apply(minutes.get(i));
            if (seconds.isEmpty()) {
                drawing = false;
                continue;
            }
            path.append(String.format(
                    Locale.ROOT,
                    "%s%.1f %.1f ",
                    drawing ? "L" : "M",
                    LEFT + (i + 0.5) * slot,
                    y(seconds.getAsDouble(), top)));
            drawing = true;
        }
        if (path.isEmpty()) {
            return "";
        }
        return "<path d=\"" + path.toString().trim() + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.6\""
                + dash + "/>";
    }

    private static StringBuilder open(String id, String title, String description) {
        return new StringBuilder()
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"")
                .append(id)
                .append("-title ")
                .append(id)
                .append("-desc\"><title id=\"")
                .append(id)
                .append("-title\">")
                .append(Html.escape(title))
                .append("</title><desc id=\"")
                .append(id)
                .append("-desc\">")
                .append(Html.escape(description))
                .append("</desc>");
    }

    /** Grid lines with their values, and the clock time every 10 minutes. */
    private static void axes(StringBuilder svg, List<Minute> minutes, double top, String unit) {
        svg.append("<g class=\"axes\" aria-hidden=\"true\">");
        for (double value : new double[] {0, top / 2, top}) {
            double y = y(value, top);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
                    LEFT,
                    y,
                    WIDTH - RIGHT,
                    y,
                    value == 0 ? "#8a99a8" : "#e1e6eb"));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s%s</text>",
                    LEFT - 6,
                    y + 4,
                    number(value),
                    unit));
        }
        double slot = PLOT_WIDTH / minutes.size();
        for (int i = 0; i < minutes.size(); i++) {
            Instant start = minutes.get(i).start();
            if (start.atZone(VIETNAM).getMinute() % 10 == 0) {
                double x = LEFT + (i + 0.5) * slot;
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8a99a8\"/>",
                        x,
                        TOP + PLOT_HEIGHT,
                        x,
                        TOP + PLOT_HEIGHT + 4));
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                        x,
                        HEIGHT - 6,
                        CLOCK.format(start)));
            }
        }
        svg.append("</g>");
    }

    private static String legend(List<String> outcomes) {
        StringBuilder legend = new StringBuilder("<ul class=\"legend\">");
        for (String outcome : outcomes) {
            legend.append(swatch(colour(outcome), readable(outcome)));
        }
        return legend.append("</ul>").toString();
    }

    private static String swatch(String colour, String label) {
        return "<li><span class=\"swatch\" style=\"background:" + colour + "\"></span>" + Html.escape(label) + "</li>";
    }

    private static double y(double value, double top) {
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top;
    }

    private static int sum(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The smallest of 1, 2, 4, 5, 6, 8 times a power of ten at or above the value (at least 2). */
    static double niceCeiling(double value) {
        double power = 1;
        while (true) {
            for (int step : new int[] {2, 4, 5, 6, 8, 10}) {
                if (step * power >= value) {
                    return step * power;
                }
            }
            power *= 10;
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
