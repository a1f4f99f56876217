package vn.vss.ivr.adapter.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.LastHour;
import vn.vss.ivr.call.LastHour.InstanceFigures;
import vn.vss.ivr.call.LastHour.Minute;
import vn.vss.ivr.call.RecentCalls;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * The part of the supervisor page that reads the database: every instance and the total, and the
 * last hour as small charts. Whichever instance a supervisor opens, it shows all of them, since every
 * call row names its instance. The section is rendered at most every {@link #REUSE_FOR}, however many
 * pages are open.
 */
public final class LastHourSection {
    private static final Logger log = LoggerFactory.getLogger(LastHourSection.class);
    static final Duration REUSE_FOR = Duration.ofSeconds(10);

    private final RecentCalls recentCalls;
    private final String ownInstanceId;
    private final Clock clock;
    /** One reader of the database at a time; the others do not wait for it. */
    private final ReentrantLock reading = new ReentrantLock();

    private volatile Rendered last = new Rendered(Instant.MIN, "");

    private record Rendered(Instant at, String html) {}

    public LastHourSection(RecentCalls recentCalls, String ownInstanceId, Clock clock) {
        this.recentCalls = recentCalls;
        this.ownInstanceId = ownInstanceId;
        this.clock = clock;
    }

    String ownInstanceId() {
        return ownInstanceId;
    }

    /**
     * The section, from the database at most {@link #REUSE_FOR} ago. While one request reads the
     * database (which may be slow or frozen, up to the query time-out), the others get the last
     * section at once: they must not hold the HTTP threads that Prometheus and the health check need.
     */
    String html() {
        Rendered previous = last;
        if (isFresh(previous, clock.instant())) {
            return previous.html();
        }
        if (!reading.tryLock()) {
            return previous.html().isEmpty() ? beingRead() : previous.html();
        }
        try {
            Instant now = clock.instant();
            if (isFresh(last, now)) {
                return last.html();
            }
            String html;
            try {
                html = render(recentCalls.lastHour(now), ownInstanceId);
            } catch (ServiceUnavailableException e) {
                log.warn("supervisor page: the last hour could not be read: {}", e.getMessage());
                html = unavailable();
            }
            last = new Rendered(now, html);
            return html;
        } finally {
            reading.unlock();
        }
    }

    private static boolean isFresh(Rendered rendered, Instant now) {
        return !now.isBefore(rendered.at()) && now.isBefore(rendered.at().plus(REUSE_FOR));
    }

    static String beingRead() {
        return "<section id=\"lastHour\" aria-labelledby=\"lastHourTitle\">"
                + "<h2 id=\"lastHourTitle\">Last hour, all instances</h2>"
                + "<p class=\"note\">The call records are being read; this part of the page follows shortly.</p>"
                + "</section>";
    }

    static String unavailable() {
        return "<section id=\"lastHour\" aria-labelledby=\"lastHourTitle\">"
                + "<h2 id=\"lastHourTitle\">Last hour, all instances</h2>"
                + "<p class=\"warn\">The database does not answer: the last hour cannot be shown now. "
                + "The figures above are this instance's own and stay live.</p></section>";
    }

    /** The section for an hour of figures; every text from the database is escaped. */
    static String render(LastHour hour, String ownInstanceId) {
        Instant lastMinute = hour.minutes().get(hour.minutes().size() - 1).start();
        StringBuilder html = new StringBuilder(24_000)
                .append("<section id=\"lastHour\" aria-labelledby=\"lastHourTitle\">")
                .append("<h2 id=\"lastHourTitle\">Last hour, all instances <span class=\"note\">")
                .append(MinuteCharts.CLOCK.format(hour.firstMinute()))
                .append("–")
                .append(MinuteCharts.CLOCK.format(lastMinute.plus(LastHour.MINUTE)))
                .append(" Vietnam time, from the call records</span></h2>");
        instances(html, hour, ownInstanceId);
        html.append("<div class=\"charts\">");
        figure(
                html,
                "Calls per minute by outcome",
                MinuteCharts.stackedBars(
                        "calls-by-outcome", "Calls per minute by outcome", "calls", hour.minutes(), Minute::outcomes));
        figure(html, "Time to password, p50 and p95", MinuteCharts.timeToPassword("time-to-password", hour.minutes()));
        figure(
                html,
                "Recognition: calls per minute with a spoken code, by outcome",
                MinuteCharts.stackedBars(
                        "spoken-codes",
                        "Spoken codes: calls per minute by outcome",
                        "calls with a spoken code",
                        hour.minutes(),
                        Minute::spokenOutcomes));
        html.append("<div class=\"chart-card\">");
        outcomes(html, hour);
        html.append("</div></div>");
        return html.append("</section>").toString();
    }

    /** A chart with its visible caption (the SVG's own title is for screen readers and tooltips). */
    private static void figure(StringBuilder html, String caption, String chart) {
        html.append("<figure class=\"chart-card\"><figcaption>")
                .append(Html.escape(caption))
                .append("</figcaption>")
                .append(chart)
                .append("</figure>");
    }

    private static void instances(StringBuilder html, LastHour hour, String ownInstanceId) {
        html.append("<table class=\"instances\"><caption>Each instance and the total: calls in progress now, "
                        + "and the calls that ended in the hour at the assistant</caption>")
                .append("<thead><tr><th scope=\"col\">Instance</th><th scope=\"col\">In progress</th>"
                        + "<th scope=\"col\">Finished</th><th scope=\"col\">Passwords heard</th>"
                        + "<th scope=\"col\">Success ratio</th><th scope=\"col\">Time to password p50 / p95</th>"
                        + "</tr></thead><tbody>");
        for (InstanceFigures instance : hour.instances()) {
            String name = Html.escape(instance.instanceId());
            if (instance.instanceId().equals(ownInstanceId)) {
                name += " <span class=\"note\">(this page)</span>";
            }
            row(html, "<th scope=\"row\">" + name + "</th>", instance);
        }
        html.append("</tbody><tfoot>");
        row(html, "<th scope=\"row\">All instances</th>", hour.total());
        html.append("</tfoot></table>");
    }

    private static void row(StringBuilder html, String name, InstanceFigures figures) {
        html.append("<tr>")
                .append(name)
                .append("<td>")
                .append(figures.inProgress())
                .append("</td>")
                .append("<td>")
                .append(figures.finished())
                .append("</td>")
                .append("<td>")
                .append(figures.passwordsHeard())
                .append("</td>")
                .append("<td>")
                .append(percent(figures.successRatio()))
                .append("</td>")
                .append("<td>")
                .append(seconds(figures.p50SecondsToPassword()))
                .append(" / ")
                .append(seconds(figures.p95SecondsToPassword()))
                .append("</td></tr>");
    }

    private static void outcomes(StringBuilder html, LastHour hour) {
        Map<String, int[]> totals = new TreeMap<>();
        for (Minute minute : hour.minutes()) {
            minute.outcomes().forEach((outcome, n) -> totals.computeIfAbsent(outcome, o -> new int[2])[0] += n);
            minute.spokenOutcomes().forEach((outcome, n) -> totals.computeIfAbsent(outcome, o -> new int[2])[1] += n);
        }
        html.append("<table class=\"outcomes\"><caption>Calls of the hour by outcome</caption>")
                .append("<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">Calls</th>"
                        + "<th scope=\"col\">With a spoken code</th></tr></thead><tbody>");
        if (totals.isEmpty()) {
            html.append("<tr><td colspan=\"3\">No call ended in this hour.</td></tr>");
        }
        for (String outcome : MinuteCharts.stackingOrder(hour.minutes(), Minute::outcomes)) {
            int[] n = totals.get(outcome);
            html.append("<tr><td><span class=\"swatch\" style=\"background:")
                    .append(MinuteCharts.colour(outcome))
                    .append("\"></span>")
                    .append(Html.escape(MinuteCharts.readable(outcome)))
                    .append("</td><td>")
                    .append(n[0])
                    .append("</td><td>")
                    .append(n[1])
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static String percent(OptionalDouble ratio) {
        return ratio.isEmpty() ? "–" : String.format(Locale.ROOT, "%.0f %%", ratio.getAsDouble() * 100);
    }

    private static String seconds(OptionalDouble value) {
        return value.isEmpty() ? "–" : String.format(Locale.ROOT, "%.0f s", value.getAsDouble());
    }
}
