package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;
import static vn.vss.ivr.adapter.postgres.schema.Tables.RESET_EVENT;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.JooqRecentCalls;
import vn.vss.ivr.call.LastHour;
import vn.vss.ivr.call.LastHour.InstanceFigures;
import vn.vss.ivr.call.LastHour.Minute;
import vn.vss.ivr.support.HeadlessChromium;
import vn.vss.ivr.support.TestHotline;

/**
 * The supervisor's last hour, read from call records of three instances written into the real
 * database: calls per minute by outcome and by spoken code, time to password p50/p95 per minute and
 * per instance, calls in progress; then the page served by one instance shows them all, escaped, in a
 * real headless Chromium.
 */
class SupervisorLastHourIT {
    private static final String OWN = "ivr-app-1";
    private static final String OTHER = "ivr-app-2";
    /** An instance name as hostile as a row could hold: it must reach the page as text. */
    private static final String HOSTILE = "<b>ivr&app-3</b>";

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("Asia/Ho_Chi_Minh"));

    private static TestHotline hotline;
    private static Instant now;
    private static Instant busyMinute;
    private static Instant quietMinute;

    @BeforeAll
    static void writeAnHourOfCalls() {
        hotline = TestHotline.start(Map.of("IVR_INSTANCE_ID", OWN));
        now = Instant.now();
        Instant thisMinute = now.truncatedTo(ChronoUnit.MINUTES);
        busyMinute = thisMinute.minus(Duration.ofMinutes(5));
        quietMinute = thisMinute.minus(Duration.ofMinutes(20));

        // The busy minute: both instances, passwords heard after 40, 50, 90 and 60 s.
        ended(OWN, busyMinute.plusSeconds(5), "password_heard", "keypad", 40);
        ended(OWN, busyMinute.plusSeconds(15), "password_heard", "keypad", 50);
        ended(OWN, busyMinute.plusSeconds(25), "password_heard", "keypad", 90);
        ended(OWN, busyMinute.plusSeconds(35), "not_verified", "speech", -1);
        ended(OTHER, busyMinute.plusSeconds(45), "password_heard", "speech", 60);
        ended(OTHER, busyMinute.plusSeconds(55), "hung_up", "none", -1);
        // A quiet minute on the other instance: spoken codes that failed, and a call that left the menu.
        ended(OTHER, quietMinute.plusSeconds(10), "not_verified", "speech", -1);
        ended(OTHER, quietMinute.plusSeconds(20), "not_verified", "speech", -1);
        ended(OTHER, quietMinute.plusSeconds(30), "no_valid_code", "speech", -1);
        ended(OTHER, quietMinute.plusSeconds(40), "ended_in_menu", null, -1);
        ended(HOSTILE, thisMinute.minus(Duration.ofMinutes(1)), "hung_up", "none", -1);
        // Outside the hour: not counted.
        ended(OWN, thisMinute.minus(Duration.ofMinutes(70)), "password_heard", "keypad", 30);
        // In progress: one on the other instance; one left open three hours ago by a crash is not.
        open(OTHER, now.minus(Duration.ofMinutes(2)));
        open(OWN, now.minus(Duration.ofHours(3)));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void callsPerMinuteAreCountedByOutcomeAndBySpokenCode() {
        LastHour hour = new JooqRecentCalls(hotline.dsl(), OWN).lastHour(now);

        assertThat(hour.minutes()).hasSize(60);
        assertThat(hour.minutes().get(59).start()).isEqualTo(now.truncatedTo(ChronoUnit.MINUTES));
        Minute busy = minute(hour, busyMinute);
        assertThat(busy.outcomes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("password_heard", 4, "not_verified", 1, "hung_up", 1));
        assertThat(busy.spokenOutcomes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("password_heard", 1, "not_verified", 1));
        Minute quiet = minute(hour, quietMinute);
        assertThat(quiet.outcomes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("not_verified", 2, "no_valid_code", 1, "ended_in_menu", 1));
        assertThat(quiet.spokenOutcomes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("not_verified", 2, "no_valid_code", 1));
        assertThat(hour.minutes().stream().mapToInt(Minute::calls).sum())
                .as("calls of the hour; the one of 70 minutes ago is not among them")
                .isEqualTo(11);
    }

    @Test
    void timeToPasswordIsTheMedianAndThe95thPercentileOfEachMinute() {
        LastHour hour = new JooqRecentCalls(hotline.dsl(), OWN).lastHour(now);

        Minute busy = minute(hour, busyMinute);
        assertThat(busy.p50SecondsToPassword().getAsDouble()).isCloseTo(percentile(0.5, 40, 50, 90, 60), within(0.01));
        assertThat(busy.p95SecondsToPassword().getAsDouble()).isCloseTo(percentile(0.95, 40, 50, 90, 60), within(0.01));
        assertThat(busy.p50SecondsToPassword().getAsDouble()).isCloseTo(55, within(0.01));
        assertThat(minute(hour, quietMinute).p50SecondsToPassword())
                .as("no password heard")
                .isEmpty();
    }

    @Test
    void everyInstanceAndTheTotalHaveTheirCallsInProgressAndFinished() {
        LastHour hour = new JooqRecentCalls(hotline.dsl(), OWN).lastHour(now);

        assertThat(hour.instances()).extracting(InstanceFigures::instanceId).containsExactly(HOSTILE, OWN, OTHER);
        InstanceFigures own = instance(hour, OWN);
        assertThat(own.inProgress())
                .as("the call left open hours ago is not in progress")
                .isZero();
        assertThat(own.finished()).isEqualTo(4);
        assertThat(own.passwordsHeard()).isEqualTo(3);
        assertThat(own.p50SecondsToPassword().getAsDouble()).isCloseTo(percentile(0.5, 40, 50, 90), within(0.01));
        assertThat(own.p95SecondsToPassword().getAsDouble()).isCloseTo(percentile(0.95, 40, 50, 90), within(0.01));
        InstanceFigures other = instance(hour, OTHER);
        assertThat(other.inProgress()).isEqualTo(1);
        assertThat(other.finished())
                .as("the call that ended in the menu is not a finished reset call")
                .isEqualTo(5);
        assertThat(other.passwordsHeard()).isEqualTo(1);
        assertThat(hour.total().inProgress()).isEqualTo(1);
        assertThat(hour.total().finished()).isEqualTo(10);
        assertThat(hour.total().passwordsHeard()).isEqualTo(4);
        assertThat(hour.total().p95SecondsToPassword().getAsDouble())
                .isCloseTo(percentile(0.95, 40, 50, 90, 60), within(0.01));
    }

    @Test
    void thePageOfOneInstanceShowsAllOfThemEscapedAndDrawsTheMinutesInARealBrowser() throws Exception {
        String url = "http://127.0.0.1:" + hotline.hotline().httpPort() + "/supervisor";
        String served = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();

        assertThat(served)
                .contains("&lt;b&gt;ivr&amp;app-3&lt;/b&gt;")
                .doesNotContain(HOSTILE)
                .contains("This instance, " + OWN);
        String dom = HeadlessChromium.dom(url, 1280, 1800);
        String busy = CLOCK.format(busyMinute);
        // Shown in whole seconds, rounded as the page rounds.
        String p95 = String.format(java.util.Locale.ROOT, "%.0f", percentile(0.95, 40, 50, 90, 60));
        assertThat(dom)
                .contains("<title>" + busy + " — 6 calls: password heard 4, not verified 1, hung up 1</title>")
                .contains("<title>" + busy + " — 2 calls with a spoken code: password heard 1, not verified 1</title>")
                .contains("<title>" + busy + " — p50 55 s, p95 " + p95 + " s (4 passwords heard)</title>")
                .contains("<title>" + CLOCK.format(quietMinute)
                        + " — 4 calls: not verified 2, no valid code 1, ended in menu 1</title>")
                .containsPattern(
                        "<th scope=\"row\">ivr-app-2</th><td>1</td><td>5</td><td>1</td><td>20 %</td><td>60 s / 60 s</td>")
                .containsPattern(
                        "<th scope=\"row\">All instances</th><td>1</td><td>10</td><td>4</td><td>40 %</td><td>55 s / "
                                + p95 + " s</td>")
                .doesNotContain("<b>ivr&amp;app-3</b>");
        HeadlessChromium.screenshot(url, Path.of("target", "supervisor-page", "last-hour.png"), 1280, 1800);
    }

    @Test
    void theOpenPageRedrawsTheLastHourFromItsOwnEndpoint() throws Exception {
        String url = "http://127.0.0.1:" + hotline.hotline().httpPort() + "/supervisor";
        HttpResponse<String> section = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/last-hour")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(section.statusCode()).isEqualTo(200);
        assertThat(section.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(section.body())
                .startsWith("<section id=\"lastHour\"")
                .endsWith("</section>")
                .contains("ivr-app-2");
        // 35 s of the page's time: the 30 s timer has replaced the section with the endpoint's.
        String dom = HeadlessChromium.domAfter(url, 1280, 1800, 35_000);
        assertThat(dom.split("id=\"lastHour\"", -1))
                .as("one last-hour section after the redraw")
                .hasSize(2);
        assertThat(dom)
                .contains("<title>" + CLOCK.format(busyMinute)
                        + " — 6 calls: password heard 4, not verified 1, hung up 1</title>");
    }

    /** Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont. */
    private static double percentile(double fraction, double... values) {
        List<Double> sorted = new ArrayList<>();
        for (double v : values) {
            sorted.add(v);
        }
        Collections.sort(sorted);
        double rank = fraction * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
    }

    private static Minute minute(LastHour hour, Instant start) {
        return hour.minutes().stream()
                .filter(m -> m.start().equals(start))
                .findFirst()
                .orElseThrow();
    }

    private static InstanceFigures instance(LastHour hour, String name) {
        return hour.instances().stream()
                .filter(i -> i.instanceId().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** A call that ended at {@code endedAt}; with a password in force after {@code secondsToPassword} unless negative. */
    private static void ended(String instance, Instant endedAt, String outcome, String input, int secondsToPassword) {
        UUID id = UUID.randomUUID();
        Instant answeredAt = endedAt.minusSeconds(150);
        hotline.dsl()
                .insertInto(CALL)
                .set(CALL.ID, id)
                .set(CALL.INSTANCE_ID, instance)
                .set(CALL.ASTERISK_UNIQUEID, "1764000000." + id.toString().substring(0, 6))
                .set(CALL.LANGUAGE, "vi")
                .set(CALL.STARTED_AT, answeredAt.minusSeconds(2).atOffset(ZoneOffset.UTC))
                .set(CALL.ANSWERED_AT, answeredAt.atOffset(ZoneOffset.UTC))
                .set(CALL.ENDED_AT, endedAt.atOffset(ZoneOffset.UTC))
                .set(CALL.OUTCOME, outcome)
                .set(CALL.INPUT_METHOD, input)
                .set(CALL.BILLED_MINUTES, 3)
                .set(CALL.CHARGED_VND, 3_000L)
                .execute();
        if (secondsToPassword >= 0) {
            hotline.dsl()
                    .insertInto(RESET_EVENT)
                    .set(RESET_EVENT.CALL_ID, id)
                    .set(RESET_EVENT.BHXH_CODE, "0000000001")
                    .set(RESET_EVENT.KIND, "password_reset")
                    .set(
                            RESET_EVENT.OCCURRED_AT,
                            answeredAt.plusSeconds(secondsToPassword).atOffset(ZoneOffset.UTC))
                    .execute();
        }
    }

    private static void open(String instance, Instant startedAt) {
        UUID id = UUID.randomUUID();
        hotline.dsl()
                .insertInto(CALL)
                .set(CALL.ID, id)
                .set(CALL.INSTANCE_ID, instance)
                .set(CALL.ASTERISK_UNIQUEID, "1764000000." + id.toString().substring(0, 6))
                .set(CALL.LANGUAGE, "vi")
                .set(CALL.STARTED_AT, startedAt.atOffset(ZoneOffset.UTC))
                .execute();
    }
}
