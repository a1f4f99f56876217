package vn.vss.ivr.adapter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.vss.ivr.call.LastHour;
import vn.vss.ivr.call.LastHour.InstanceFigures;
import vn.vss.ivr.call.LastHour.Minute;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.support.MutableClock;

/** The last hour as the supervisor page draws it, from figures given here: bars, points, escaping. */
class LastHourSectionTest {
    /** 07:00 in Vietnam. */
    private static final Instant FIRST_MINUTE = Instant.parse("2026-11-30T00:00:00Z");

    private static final String HOSTILE_INSTANCE = "<script>alert('x')</script>";
    private static final String HOSTILE_OUTCOME = "\"><img src=x onerror=alert(1)>";

    @Test
    void everyMinuteWithCallsIsABarAsHighAsItsCallsAndTitledWithThem() throws Exception {
        LastHour hour = busyHour();

        Document page = parse(LastHourSection.render(hour, "ivr-app-1"));

        List<Element> bars = groups(chart(page, "calls-by-outcome"), "bar");
        assertThat(bars).hasSize(60);
        Double heightPerCall = null;
        for (int i = 0; i < 60; i++) {
            Minute minute = hour.minutes().get(i);
            double height = 0;
            NodeList rects = bars.get(i).getElementsByTagName("rect");
            for (int r = 0; r < rects.getLength(); r++) {
                height += Double.parseDouble(((Element) rects.item(r)).getAttribute("height"));
            }
            if (heightPerCall == null) {
                heightPerCall = height / minute.calls();
            }
            assertThat(height)
                    .as("bar of minute %d, %d calls", i, minute.calls())
                    .isCloseTo(heightPerCall * minute.calls(), within(0.5));
            assertThat(title(bars.get(i)))
                    .startsWith(MinuteCharts.CLOCK.format(minute.start()) + " — " + minute.calls() + " calls:");
        }
        // 07:10 Vietnam time, minute 10 of the synthetic hour: 10 + 70 % 13 heard, 2 + 10 % 5 not verified.
        assertThat(title(bars.get(10)))
                .isEqualTo("07:10 — " + hour.minutes().get(10).calls()
                        + " calls: password heard 15, not verified 2, hung up 2");
    }

    @Test
    void timeToPasswordHasAPointPerMinuteWithAPasswordAndItsNumbers() throws Exception {
        Document page = parse(LastHourSection.render(busyHour(), "ivr-app-1"));

        List<Element> points = groups(chart(page, "time-to-password"), "point");
        assertThat(points).as("minutes with a password heard").hasSize(59);
        assertThat(title(points.get(0))).isEqualTo("07:00 — p50 40 s, p95 58 s (10 passwords heard)");
        NodeList lines = chart(page, "time-to-password").getElementsByTagName("path");
        assertThat(lines.getLength()).as("p50 and p95 lines").isEqualTo(2);
        for (int i = 0; i < lines.getLength(); i++) {
            String path = ((Element) lines.item(i)).getAttribute("d");
            assertThat(path.chars().filter(c -> c == 'M').count())
                    .as("pieces of line %d, split at the minute without a password", i)
                    .isEqualTo(2);
        }
    }

    @Test
    void namesFromTheDatabaseReachThePageAsTextAndPickNoColour() throws Exception {
        Minute minute = new Minute(
                FIRST_MINUTE,
                Map.of(HOSTILE_OUTCOME, 2),
                Map.of(HOSTILE_OUTCOME, 1),
                OptionalDouble.empty(),
                OptionalDouble.empty());
        List<Minute> minutes = new ArrayList<>();
        minutes.add(minute);
        for (int i = 1; i < 60; i++) {
            minutes.add(empty(FIRST_MINUTE.plus(Duration.ofMinutes(i))));
        }
        InstanceFigures hostile =
                new InstanceFigures(HOSTILE_INSTANCE, 1, 2, 0, OptionalDouble.empty(), OptionalDouble.empty());
        String html =
                LastHourSection.render(new LastHour(FIRST_MINUTE, minutes, List.of(hostile), hostile), "ivr-app-1");

        assertThat(html).doesNotContain("<script", "<img");
        Document page = parse(html);
        assertThat(page.getDocumentElement().getTextContent()).contains(HOSTILE_INSTANCE);
        assertThat(title(groups(chart(page, "calls-by-outcome"), "bar").get(0)))
                .isEqualTo("07:00 — 2 calls: " + HOSTILE_OUTCOME.replace('_', ' ') + " 2");
        assertThat(html).contains("background:#424242").doesNotContain("background:\"");
    }

    @Test
    void anEmptyHourSaysSo() throws Exception {
        List<Minute> minutes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            minutes.add(empty(FIRST_MINUTE.plus(Duration.ofMinutes(i))));
        }
        InstanceFigures none = new InstanceFigures("", 0, 0, 0, OptionalDouble.empty(), OptionalDouble.empty());

        Document page =
                parse(LastHourSection.render(new LastHour(FIRST_MINUTE, minutes, List.of(), none), "ivr-app-1"));

        assertThat(groups(chart(page, "calls-by-outcome"), "bar")).isEmpty();
        assertThat(page.getDocumentElement().getTextContent())
                .contains(
                        "No calls in this hour.", "No password was heard in this hour.", "No call ended in this hour.");
    }

    @Test
    void theDatabaseIsAskedAtMostEveryTenSecondsAndItsSilenceIsSaid() {
        MutableClock clock = new MutableClock(FIRST_MINUTE.plus(Duration.ofMinutes(59)));
        AtomicInteger asked = new AtomicInteger();
        LastHourSection section = new LastHourSection(
                now -> {
                    asked.incrementAndGet();
                    throw new ServiceUnavailableException("connection refused", null);
                },
                "ivr-app-1",
                clock);

        assertThat(section.html()).contains("The database does not answer");
        clock.advance(Duration.ofSeconds(9));
        section.html();
        assertThat(asked).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        section.html();
        assertThat(asked).hasValue(2);
    }

    @Test
    void whileOneRequestWaitsForTheDatabaseTheOthersAreAnsweredAtOnce() throws Exception {
        MutableClock clock = new MutableClock(FIRST_MINUTE.plus(Duration.ofMinutes(59)));
        LastHour hour = busyHour();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        LastHourSection section = new LastHourSection(
                now -> {
                    asked.countDown();
                    try {
                        answer.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return hour;
                },
                "ivr-app-1",
                clock);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<String> waiting = first.submit(section::html);
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(section.html())
                    .as("a second page while the database is read")
                    .contains("being read");
            answer.countDown();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).contains("ivr-app-2");
            assertThat(section.html()).as("the next page, within 10 s").contains("ivr-app-2");
        } finally {
            answer.countDown();
            first.shutdownNow();
        }
    }

    @Test
    void aBusyHourIsWrittenOutForALook() throws Exception {
        LastHour hour = busyHour();
        LastHourSection section = new LastHourSection(now -> hour, "ivr-app-1", new MutableClock(FIRST_MINUTE));

        String page = SupervisorPage.html(section);

        Path file = Path.of("target", "supervisor-page", "busy-hour.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, page);
        assertThat(page).contains("This instance, ivr-app-1,", "<section id=\"lastHour\"");
    }

    /** 60 minutes of 20 to 35 calls; every minute but one has passwords heard. */
    private static LastHour busyHour() {
        List<Minute> minutes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int heard = 10 + (i * 7) % 13;
            Map<String, Integer> outcomes = new HashMap<>();
            outcomes.put("password_heard", heard);
            outcomes.put("not_verified", 2 + i % 5);
            outcomes.put("hung_up", 2);
            if (i % 15 == 3) {
                outcomes.put("service_unavailable", 1);
            }
            Map<String, Integer> spoken = Map.of("password_heard", heard / 3, "not_verified", 1);
            boolean noPassword = i == 30;
            if (noPassword) {
                outcomes.remove("password_heard");
            }
            minutes.add(new Minute(
                    FIRST_MINUTE.plus(Duration.ofMinutes(i)),
                    outcomes,
                    spoken,
                    noPassword ? OptionalDouble.empty() : OptionalDouble.of(40 + i % 9),
                    noPassword ? OptionalDouble.empty() : OptionalDouble.of(58 + (i * 5) % 23)));
        }
        InstanceFigures one =
                new InstanceFigures("ivr-app-1", 37, 800, 430, OptionalDouble.of(44), OptionalDouble.of(70));
        InstanceFigures two =
                new InstanceFigures("ivr-app-2", 35, 760, 410, OptionalDouble.of(45), OptionalDouble.of(71));
        InstanceFigures all = new InstanceFigures("", 72, 1560, 840, OptionalDouble.of(44.5), OptionalDouble.of(70.5));
        return new LastHour(FIRST_MINUTE, minutes, List.of(one, two), all);
    }

    private static Minute empty(Instant start) {
        return new Minute(start, Map.of(), Map.of(), OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** The section parsed as XML: it must be well-formed, which also proves nothing broke out of its place. */
    private static Document parse(String html) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element chart(Document page, String id) {
        NodeList svgs = page.getElementsByTagName("svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            if (svg.getAttribute("aria-labelledby").startsWith(id + "-title")) {
                return svg;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static List<Element> groups(Element svg, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList groups = svg.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").equals(cssClass)) {
                found.add(g);
            }
        }
        return found;
    }

    private static String title(Element group) {
        return group.getElementsByTagName("title").item(0).getTextContent();
    }
}
