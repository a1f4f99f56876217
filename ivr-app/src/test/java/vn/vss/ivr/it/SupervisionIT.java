package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CHARGE_LINE;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.ChargesReport;
import vn.vss.ivr.adapter.postgres.ChargeTotals;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * A known set of calls on a hotline of its own, then: every counter equals the ground truth, no
 * label carries a number or a code, the charges report equals the charge lines, and the supervisor
 * page shows the figures in a real headless Chromium.
 */
class SupervisionIT {
    private static TestHotline hotline;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static List<String> numbersAndCodes;

    @BeforeAll
    static void placeAKnownSetOfCalls() {
        hotline = TestHotline.start(Map.of());
        Subscriber a = hotline.freshSubscriber();
        Subscriber b = hotline.freshSubscriber();
        Subscriber c = hotline.freshSubscriber();
        String stranger = hotline.freshStranger();
        numbersAndCodes = List.of(
                a.code(), b.code(), c.code(), a.phone().substring(1), b.phone().substring(1), stranger.substring(1));
        // 2 passwords heard
        HeardPasswords.remember(
                hotline.call(CallerScript.from(a.phone()).keys(a.code() + "#")).digitsAfter("password-intro", 1));
        HeardPasswords.remember(
                hotline.call(CallerScript.from(b.phone()).keys(b.code() + "#")).digitsAfter("password-intro", 1));
        // 3 not verified: wrong number twice, unknown code once
        hotline.call(CallerScript.from(stranger).keys(c.code() + "#"));
        hotline.call(CallerScript.from(stranger).keys(c.code() + "#"));
        hotline.call(CallerScript.from(stranger).keys("4999999999#"));
        // 1 no valid code
        hotline.call(CallerScript.from(c.phone()).keys("1#").keys("2#").keys("3#"));
        // 1 hung up while keying
        hotline.call(CallerScript.from(c.phone()).hangUp());
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenTheKnownCalls_thenEveryCounterEqualsTheGroundTruth() throws Exception {
        String metrics = get("/metrics");

        assertThat(value(metrics, "ivr_calls_total{input=\"keypad\",outcome=\"password_heard\"}"))
                .isEqualTo(2);
        assertThat(value(metrics, "ivr_calls_total{input=\"keypad\",outcome=\"not_verified\"}"))
                .isEqualTo(3);
        assertThat(value(metrics, "ivr_calls_total{input=\"keypad\",outcome=\"no_valid_code\"}"))
                .isEqualTo(1);
        assertThat(value(metrics, "ivr_calls_total{input=\"none\",outcome=\"hung_up\"}"))
                .isEqualTo(1);
        assertThat(value(metrics, "ivr_resets_total")).isEqualTo(2);
        assertThat(value(metrics, "ivr_verifications_total{verdict=\"match\"}")).isEqualTo(2);
        assertThat(value(metrics, "ivr_verifications_total{verdict=\"wrong_number\"}"))
                .isEqualTo(2);
        assertThat(value(metrics, "ivr_verifications_total{verdict=\"unknown_code\"}"))
                .isEqualTo(1);
        assertThat(value(metrics, "ivr_calls_active")).isZero();
        assertThat(value(metrics, "ivr_database_up")).isEqualTo(1);
        assertThat(value(metrics, "ivr_time_to_password_seconds_count")).isEqualTo(2);
        int lines = hotline.dsl().fetchCount(CHARGE_LINE);
        assertThat(lines).isEqualTo(7);
        assertThat(value(metrics, "ivr_billed_minutes_total")).isEqualTo(lines);
        assertThat(value(metrics, "ivr_charged_vnd_total")).isEqualTo(lines * 1_000.0);
        assertThat(metrics)
                .contains("hikaricp_connections_active", "jvm_memory_used_bytes", "ivr_db_statement_seconds_count");
    }

    @Test
    void noLabelCarriesAPhoneNumberOrACode() throws Exception {
        String metrics = get("/metrics");
        Matcher labels = Pattern.compile("\\{([^}]*)}").matcher(metrics);
        while (labels.find()) {
            assertThat(labels.group(1)).doesNotContainPattern("\"[+]?[0-9]{6,}\"");
            for (String secret : numbersAndCodes) {
                assertThat(labels.group(1)).doesNotContain(secret);
            }
        }
    }

    @Test
    void theChargesReportEqualsTheChargeLines() {
        LocalDate today = LocalDate.now(ChargesReport.VIETNAM);
        List<ChargeTotals.Row> rows = ChargeTotals.byOutcome(hotline.dsl(), today.minusDays(1), today.plusDays(1));

        assertThat(rows)
                .extracting(ChargeTotals.Row::outcome)
                .containsExactly("hung_up", "no_valid_code", "not_verified", "password_heard");
        assertThat(rows.stream().mapToInt(ChargeTotals.Row::calls).sum()).isEqualTo(7);
        assertThat(rows.stream().mapToInt(ChargeTotals.Row::billedMinutes).sum())
                .isEqualTo(hotline.dsl().fetchCount(CHARGE_LINE));
        long vnd = hotline.dsl()
                .select(org.jooq.impl.DSL.sum(CHARGE_LINE.AMOUNT_VND))
                .from(CHARGE_LINE)
                .fetchOne(0, Long.class);
        assertThat(rows.stream().mapToLong(ChargeTotals.Row::vnd).sum()).isEqualTo(vnd);
        assertThat(rows)
                .filteredOn(r -> r.outcome().equals("password_heard"))
                .singleElement()
                .satisfies(r -> assertThat(r.vnd()).isEqualTo(2_000));

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ChargesReportAccess.print(rows, today, csv);
        assertThat(csv.toString(StandardCharsets.UTF_8)).contains("outcome,calls,billed_minutes,vnd", "total,7,7,7000");
    }

    @Test
    void healthSaysLiveAndReady() throws Exception {
        assertThat(get("/health/live")).isEqualTo("live\n");
        assertThat(get("/health/ready")).isEqualTo("ready\n");
    }

    @Test
    void theSupervisorPageShowsTheFiguresInARealBrowser() throws Exception {
        String chromium = Files.exists(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : null;
        assertThat(chromium)
                .as(
                        "Debian's chromium package is needed for this test (the build installs it as root: tools/install-test-tools.sh)")
                .isNotNull();
        Path out = Path.of("target", "supervisor-page");
        Files.createDirectories(out);
        Path profile = Files.createTempDirectory("chromium-profile-");
        String url = "http://127.0.0.1:" + hotline.hotline().httpPort() + "/supervisor";
        List<String> flags = List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--window-size=1200,800");
        String dom = run(concat(flags, "--dump-dom", url));
        run(concat(flags, "--screenshot=" + out.resolve("supervisor.png").toAbsolutePath(), url));

        assertThat(dom).contains("VssID password hotline");
        assertThat(text(dom, "passwordHeard")).isEqualTo("2");
        assertThat(text(dom, "notVerified")).isEqualTo("3");
        assertThat(text(dom, "successRatio")).isEqualTo("29 %");
        assertThat(dom).contains("password heard");
        // The same calls as the database holds them, drawn for the last hour.
        assertThat(dom)
                .contains("<th scope=\"row\">All instances</th><td>0</td><td>7</td><td>2</td><td>29 %</td>")
                .containsPattern("<desc id=\"calls-by-outcome-desc\">7 calls in the hour; ");
        assertThat(Files.size(out.resolve("supervisor.png"))).isGreaterThan(10_000);
    }

    private static List<String> concat(List<String> flags, String... more) {
        List<String> all = new java.util.ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String text(String dom, String id) {
        Matcher matcher = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(matcher.find()).as("element #" + id).isTrue();
        return matcher.group(1).trim();
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + hotline.hotline().httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static double value(String metrics, String series) {
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }

    /** The CSV form of the report, as the command prints it. */
    static final class ChargesReportAccess {
        static void print(List<ChargeTotals.Row> rows, LocalDate day, ByteArrayOutputStream out) {
            ChargesReport.print(rows, day, day, true, new PrintStream(out, true, StandardCharsets.UTF_8));
        }
    }
}
