package vn.vss.ivr.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import vn.vss.ivr.call.CallOutcome;

/**
 * The supervisor's page, without Grafana: this instance's key figures, refreshed live from its meters
 * (the page's script polls {@code /supervisor/data}), and every instance's last hour from the database
 * ({@link LastHourSection}, drawn on the server, refreshed from {@code /supervisor/last-hour}).
 */
final class SupervisorPage {
    private static final String TEMPLATE = template();

    private SupervisorPage() {}

    static String html(LastHourSection lastHour) {
        return TEMPLATE.replace("<!--INSTANCE-->", Html.escape(lastHour.ownInstanceId()))
                .replace("<!--LAST_HOUR-->", lastHour.html());
    }

    private static String template() {
        try (InputStream in = SupervisorPage.class.getResourceAsStream("/supervisor.html")) {
            if (in == null) {
                throw new IllegalStateException("supervisor.html is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The figures as JSON; every value comes from the same meters Prometheus scrapes. */
    static String json(MeterRegistry registry) {
        Map<String, Double> outcomes = new TreeMap<>();
        for (Counter counter : registry.find("ivr.calls").counters()) {
            outcomes.merge(counter.getId().getTag("outcome"), counter.count(), Double::sum);
        }
        // A call that ended in the hotline's menu never reached the assistant: it is listed among
        // the outcomes but is no finished reset call and does not lower the success ratio.
        double finished = outcomes.entrySet().stream()
                .filter(e -> !CallOutcome.ENDED_IN_MENU.label().equals(e.getKey()))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        double heard = outcomes.getOrDefault("password_heard", 0.0);
        double notVerified = outcomes.getOrDefault("not_verified", 0.0);
        double vnd = counter(registry, "ivr.charged.vnd");
        Timer timeToPassword = registry.find("ivr.time.to.password").timer();
        StringBuilder out = new StringBuilder("{");
        out.append(field("active", gauge(registry, "ivr.calls.active"))).append(',');
        out.append(field("capacity", gauge(registry, "ivr.calls.capacity"))).append(',');
        out.append(field("finished", finished)).append(',');
        out.append(field("passwordHeard", heard)).append(',');
        out.append(field("notVerified", notVerified)).append(',');
        out.append(field("successRatio", finished == 0 ? 0 : heard / finished)).append(',');
        out.append(field("billedMinutes", counter(registry, "ivr.billed.minutes")))
                .append(',');
        out.append(field("chargedVnd", vnd)).append(',');
        out.append(field("vndPerReset", heard == 0 ? 0 : vnd / heard)).append(',');
        out.append(field("refusedPeers", counter(registry, "ivr.agi.peers.refused")))
                .append(',');
        out.append(field(
                        "meanSecondsToPassword",
                        timeToPassword == null || timeToPassword.count() == 0
                                ? 0
                                : timeToPassword.mean(TimeUnit.SECONDS)))
                .append(',');
        out.append("\"outcomes\":{");
        boolean first = true;
        for (var entry : outcomes.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(field(entry.getKey(), entry.getValue()));
        }
        return out.append("}}").toString();
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double gauge(MeterRegistry registry, String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static String field(String name, double value) {
        return "\"" + name + "\":" + String.format(Locale.ROOT, "%.3f", value);
    }
}
