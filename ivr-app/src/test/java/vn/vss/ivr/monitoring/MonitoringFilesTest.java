package vn.vss.ivr.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files that ship beside the app: Prometheus alert rules and their unit tests, the Grafana
 * dashboard and its provisioning. The rules are checked and unit-tested by promtool (Debian's {@code prometheus}
 * package); every expression may only name metrics and label values the app exposes, so renaming a metric
 * breaks this test, and no expression may select or group by a label that could carry a phone number, a BHXH
 * code or a call id.
 */
class MonitoringFilesTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path MONITORING = ROOT.resolve("monitoring");
    private static final Path ALERTS = MONITORING.resolve("prometheus/alerts.yml");
    private static final Path ALERTS_TEST = MONITORING.resolve("prometheus/alerts-test.yml");
    private static final Path DASHBOARD = MONITORING.resolve("grafana/dashboards/vssid-hotline.json");
    private static final Path DATASOURCES = MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml");
    private static final Path DASHBOARD_PROVIDER =
            MONITORING.resolve("grafana/provisioning/dashboards/vssid-hotline.yml");

    /** Metric names as Prometheus scrapes them from the app, and {@code up} from Prometheus itself. */
    private static final Set<String> PLAIN_METRICS = Set.of(
            "ivr_calls_active",
            "ivr_calls_capacity",
            "ivr_calls_total",
            "ivr_billed_minutes_total",
            "ivr_charged_vnd_total",
            "ivr_resets_total",
            "ivr_verifications_total",
            "ivr_rate_limit_refusals_total",
            "ivr_agi_peers_refused_total",
            "ivr_agi_connections_failed_total",
            "ivr_agi_environment_rejected_total",
            "ivr_database_up",
            "ivr_recognitions_total",
            "ivr_recognizer_breaker_open",
            "ivr_spool_pending",
            "ivr_spool_rejected_total",
            "ivr_instance_takeovers_total",
            "ivr_callbacks_total",
            "ivr_password_hash_refused_total",
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "hikaricp_connections_active",
            "hikaricp_connections_pending",
            "hikaricp_connections_timeout_total",
            "up");

    /** The SMS sender's metrics: on the dashboard and alerted on. They exist only while SMS notices are on. */
    private static final Set<String> SMS_METRICS = Set.of(
            "ivr_sms_notices_total",
            "ivr_sms_retries_total",
            "ivr_sms_receipts_total",
            "ivr_sms_oldest_waiting_seconds",
            "ivr_sms_waiting",
            "ivr_sms_in_doubt",
            "ivr_smsc_bound");

    /** Histograms (Micrometer timers with published buckets): only their _bucket, _sum, _count and _max exist. */
    private static final Set<String> HISTOGRAMS = Set.of(
            "ivr_call_duration_seconds",
            "ivr_time_to_password_seconds",
            "ivr_db_statement_seconds",
            "ivr_synthesis_seconds",
            "ivr_recognition_seconds",
            "ivr_password_hash_queue_seconds");

    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_sum", "_count", "_max");

    /** A timer without buckets: _sum, _count and _max only. */
    private static final String GC_PAUSE = "jvm_gc_pause_seconds";

    /** The closed sets of label values the app writes. */
    private static final Map<String, Set<String>> LABEL_VALUES = Map.of(
            "outcome",
            Set.of(
                    "password_heard",
                    "hung_up_during_password",
                    "not_verified",
                    "no_valid_code",
                    "hung_up",
                    "service_unavailable",
                    "max_duration",
                    "interrupted",
                    "ended_in_menu",
                    "call_back_promised",
                    "call_back_declined"),
            "input",
            Set.of("keypad", "speech", "none"),
            "verdict",
            Set.of(
                    "match",
                    "unknown_code",
                    "wrong_number",
                    "no_caller_id",
                    "code_locked",
                    "caller_blocked",
                    "hotline_ceiling",
                    "reset_limit_reached",
                    "reset_in_progress"),
            "limit",
            Set.of("code_locked", "caller_blocked", "hotline_ceiling", "reset_limit_reached", "reset_in_progress"),
            "reason",
            Set.of(
                    "queue_full",
                    "too_slow",
                    "environment_timeout",
                    "environment_too_long",
                    "too_many_waiting",
                    "no_call_thread",
                    "repeated_key",
                    "malformed_line",
                    "control_character",
                    "missing_key",
                    "lines_after_end"),
            "result",
            Set.of(
                    "recognized",
                    "rejected",
                    "failed",
                    "timeout",
                    "sent",
                    "in_doubt",
                    "answered",
                    "busy",
                    "no_answer",
                    "timed_out"));

    /** Words that make a label name look like it carries a caller, a number, a code or a call id. */
    private static final Set<String> FORBIDDEN_LABEL_WORDS = Set.of(
            "phone",
            "msisdn",
            "caller",
            "callerid",
            "callee",
            "calling",
            "called",
            "number",
            "num",
            "cli",
            "clid",
            "ani",
            "dnis",
            "exten",
            "extension",
            "code",
            "bhxh",
            "ssn",
            "subscriber",
            "password",
            "pin",
            "otp",
            "id",
            "uid",
            "uuid",
            "uniqueid",
            "linkedid",
            "callid",
            "channel");

    private static final Pattern FORBIDDEN_LABEL_PART =
            Pattern.compile("phone|msisdn|callerid|caller_?id|uniqueid|unique_id|linkedid|call_?id|code|password");

    private static final Set<String> PROMQL_FUNCTIONS = Set.of(
            "abs",
            "absent",
            "absent_over_time",
            "avg_over_time",
            "ceil",
            "changes",
            "clamp",
            "clamp_max",
            "clamp_min",
            "count_over_time",
            "day_of_month",
            "day_of_week",
            "days_in_month",
            "delta",
            "deriv",
            "exp",
            "floor",
            "histogram_quantile",
            "holt_winters",
            "hour",
            "idelta",
            "increase",
            "irate",
            "label_join",
            "label_replace",
            "last_over_time",
            "ln",
            "log10",
            "log2",
            "max_over_time",
            "min_over_time",
            "minute",
            "month",
            "predict_linear",
            "present_over_time",
            "quantile_over_time",
            "rate",
            "resets",
            "round",
            "scalar",
            "sgn",
            "sort",
            "sort_desc",
            "sqrt",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time",
            "time",
            "timestamp",
            "vector",
            "year");

    private static final Set<String> PROMQL_KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "atan2",
            "inf",
            "nan");

    /** Aggregation operators: written like functions, and keywords of the language too. */
    private static final Set<String> PROMQL_AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile");

    private static final List<String> REQUIRED_ALERTS = List.of(
            "IvrSuccessRatioLow",
            "IvrServiceUnavailableSpike",
            "IvrRecognizerBreakerOpen",
            "IvrCallsNearCapacity",
            "IvrDatabaseUnreachable",
            "IvrFailedVerificationsUnusual",
            "IvrCallerBlockingSpike",
            "IvrHotlineFailureCeilingReached",
            "IvrPasswordHashingSaturated",
            "IvrFastAgiConnectionsFailed",
            "IvrAgiEnvironmentRejected",
            "IvrSmsNoticesDelayed",
            "IvrSmsNoticesInDoubt",
            "IvrSmsNoticesFailed");

    // ------------------------------------------------------------------------------------------ promtool

    @Test
    void alertRulesPassPromtoolCheck() {
        ProcessResult result =
                promtool("check", "rules", ROOT.relativize(ALERTS).toString());
        assertThat(result.exitCode())
                .as("promtool check rules %s:%n%s", ALERTS, result.output())
                .isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void alertRulesPassTheirPromtoolUnitTests() {
        ProcessResult result =
                promtool("test", "rules", ROOT.relativize(ALERTS_TEST).toString());
        assertThat(result.exitCode())
                .as("promtool test rules %s:%n%s", ALERTS_TEST, result.output())
                .isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void dashboardExpressionsAreValidPromQl() throws IOException {
        List<String> expressions = dashboardExpressions(dashboard());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int n = 0; n < expressions.size(); n++) {
            String promql = withGrafanaVariablesReplaced(expressions.get(n)).replace("\n", " ");
            rules.append("      - record: dashboard:expression_")
                    .append(n)
                    .append("\n        expr: '")
                    .append(promql.replace("'", "''"))
                    .append("'\n");
        }
        Path file = Files.createTempFile("dashboard-expressions", ".yml");
        try {
            Files.writeString(file, rules, StandardCharsets.UTF_8);
            ProcessResult result = promtool("check", "rules", file.toString());
            assertThat(result.exitCode())
                    .as("promtool check rules on the dashboard's expressions:%n%s%n%s", result.output(), rules)
                    .isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ------------------------------------------------------------------------------------------ alert rules

    @Test
    void everyAlertIsInGroupVssidHotlineWithForSeverityAndBilingualSummaries() throws IOException {
        String rules = Files.readString(ALERTS, StandardCharsets.UTF_8);
        assertThat(rules).containsPattern("(?m)^\\s*-\\s*name:\\s*vssid-hotline\\s*$");
        assertThat(rules).doesNotContainPattern("(?m)^groups:\\s*\\[\\s*]");
        Map<String, String> alerts = alertBlocks(rules);
        assertThat(alerts.keySet()).containsAll(REQUIRED_ALERTS);
        alerts.forEach((name, block) -> {
            assertThat(block).as("%s has a for: duration", name).containsPattern("(?m)^\\s+for:\\s*\\d+[smh]\\s*$");
            assertThat(block)
                    .as("%s has a severity label", name)
                    .containsPattern("(?m)^\\s+severity:\\s*(critical|warning|info)\\s*$");
            assertThat(block).as("%s has a Vietnamese summary", name).containsPattern("(?m)^\\s+summary_vi:\\s*\\S");
            assertThat(block).as("%s has an English summary", name).containsPattern("(?m)^\\s+summary_en:\\s*\\S");
            assertThat(block)
                    .as("%s: its Vietnamese summary is written in Vietnamese", name)
                    .containsPattern("summary_vi:.*[ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữìíịỉĩòóọỏõùúụủũỳýỵỷỹ]");
        });
    }

    @Test
    void everyAlertIsUnitTestedBothFiringAndQuiet() throws IOException {
        String tests = Files.readString(ALERTS_TEST, StandardCharsets.UTF_8);
        assertThat(tests).containsPattern("(?m)^rule_files:\\s*\\n\\s*-\\s*alerts\\.yml\\s*$");
        Map<String, List<Boolean>> cases = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(?m)^\\s*alertname:\\s*(\\S+)\\s*\\n\\s*exp_alerts:(.*)$")
                .matcher(tests);
        while (matcher.find()) {
            boolean quiet = matcher.group(2).trim().equals("[]");
            cases.computeIfAbsent(matcher.group(1), k -> new ArrayList<>()).add(quiet);
        }
        for (String alert :
                alertBlocks(Files.readString(ALERTS, StandardCharsets.UTF_8)).keySet()) {
            assertThat(cases.get(alert))
                    .as("%s needs a test where it fires and one where it stays quiet", alert)
                    .isNotNull()
                    .contains(true, false);
        }
    }

    // ------------------------------------------------------------------------------------------ dashboard

    @Test
    void dashboardIsValidJsonWithItsIdentity() throws IOException {
        Map<String, Object> dashboard = dashboard();
        assertThat(dashboard.get("uid")).isEqualTo("vssid-hotline");
        assertThat(dashboard.get("title")).isEqualTo("VssID hotline 1900 9068 — branch 8");
        assertThat(dashboard.get("refresh")).isEqualTo("10s");
        assertThat(dashboard.get("schemaVersion")).isInstanceOf(Number.class);
        assertThat(((Number) dashboard.get("schemaVersion")).intValue()).isGreaterThanOrEqualTo(38);
        assertThat(panels(dashboard)).hasSizeGreaterThan(20);
    }

    @Test
    void dashboardUsesTheProvisionedPrometheusByUid() throws IOException {
        String datasources = Files.readString(DATASOURCES, StandardCharsets.UTF_8);
        assertThat(datasources).containsPattern("(?m)^\\s*type:\\s*prometheus\\s*$");
        assertThat(datasources).containsPattern("(?m)^\\s*url:\\s*http://prometheus:9090\\s*$");
        Matcher uid = Pattern.compile("(?m)^\\s*uid:\\s*\"?([\\w-]+)\"?\\s*$").matcher(datasources);
        assertThat(uid.find()).as("the data source has a fixed uid").isTrue();
        String datasourceUid = uid.group(1);

        Map<String, Object> dashboard = dashboard();
        List<Map<String, Object>> references = new ArrayList<>();
        collectDatasourceReferences(dashboard.get("panels"), references);
        collectDatasourceReferences(dashboard.get("templating"), references);
        assertThat(references).isNotEmpty();
        for (Map<String, Object> reference : references) {
            assertThat(reference)
                    .as("every data source reference is the provisioned Prometheus by uid")
                    .containsEntry("type", "prometheus")
                    .containsEntry("uid", datasourceUid);
        }
        for (Map<String, Object> panel : panels(dashboard)) {
            if (!"row".equals(panel.get("type"))) {
                assertThat(panel.get("datasource"))
                        .as("panel %s", panel.get("title"))
                        .isInstanceOf(Map.class);
                assertThat((List<?>) panel.get("targets"))
                        .as("panel %s has queries", panel.get("title"))
                        .isNotEmpty();
            }
        }
    }

    @Test
    void dashboardProviderLoadsTheMountedDashboardFolder() throws IOException {
        String provider = Files.readString(DASHBOARD_PROVIDER, StandardCharsets.UTF_8);
        assertThat(provider).containsPattern("(?m)^\\s*type:\\s*file\\s*$");
        assertThat(provider).containsPattern("(?m)^\\s*path:\\s*/var/lib/grafana/dashboards\\s*$");
    }

    @Test
    void dashboardPanelsHaveUniqueIdsAndDoNotOverlap() throws IOException {
        List<Map<String, Object>> panels = panels(dashboard());
        Set<Object> ids = new LinkedHashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            assertThat(ids.add(panel.get("id")))
                    .as("panel id %s is unique", panel.get("id"))
                    .isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> grid = (Map<String, Object>) panel.get("gridPos");
            int x = ((Number) grid.get("x")).intValue();
            int y = ((Number) grid.get("y")).intValue();
            int w = ((Number) grid.get("w")).intValue();
            int h = ((Number) grid.get("h")).intValue();
            assertThat(x + w)
                    .as("panel %s fits the 24 columns", panel.get("title"))
                    .isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap =
                        x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlap)
                        .as("panel %s overlaps another panel", panel.get("title"))
                        .isFalse();
            }
            boxes.add(new int[] {x, y, w, h});
        }
    }

    @Test
    void dashboardShowsEveryMetricTheAppExposes() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String expression : dashboardExpressions(dashboard())) {
            used.addAll(analyse(expression).metrics());
        }
        Set<String> families = used.stream().map(MonitoringFilesTest::family).collect(Collectors.toSet());
        Set<String> expected = new TreeSet<>(PLAIN_METRICS);
        expected.addAll(HISTOGRAMS);
        expected.addAll(SMS_METRICS);
        expected.add(GC_PAUSE);
        assertThat(families).containsAll(expected);
    }

    // ------------------------------------------------------------------------------------------ metric names and
    // labels

    @Test
    void everyExpressionNamesOnlyMetricsAndLabelValuesTheAppExposes() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : allExpressions().entrySet()) {
            for (String problem : analyse(entry.getValue()).problems()) {
                problems.add(entry.getKey() + ": " + problem + "\n    in: " + entry.getValue());
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void noExpressionSelectsOrGroupsByCallerIdentifyingLabels() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Map.Entry<String, String> entry : allExpressions().entrySet()) {
            for (String label : analyse(entry.getValue()).labels()) {
                if (looksLikeCallerData(label)) {
                    offending.add(entry.getKey() + ": label '" + label + "' in " + entry.getValue());
                }
            }
        }
        assertThat(offending)
                .as("labels that could carry a phone number, code or call id:%n%s", String.join("\n", offending))
                .isEmpty();
    }

    @Test
    void theExpressionCheckerCatchesRenamedMetricsAndForbiddenLabels() {
        assertThat(analyse("sum(rate(ivr_calls_total{job=\"ivr-app\", outcome=\"password_heard\"}[$__rate_interval]))")
                        .problems())
                .isEmpty();
        assertThat(analyse("histogram_quantile(0.9, sum by (le) (rate(ivr_db_statement_seconds_bucket[5m])))")
                        .problems())
                .isEmpty();
        assertThat(analyse("sum(rate(ivr_call_total[5m]))").problems())
                .singleElement()
                .asString()
                .contains("ivr_call_total");
        assertThat(analyse("rate(ivr_call_duration_seconds[5m])").problems()).hasSize(1);
        assertThat(analyse("rate(jvm_gc_pause_seconds_bucket[5m])").problems()).hasSize(1);
        assertThat(analyse("sum(ivr_calls_total{outcome=\"passwd_heard\"})").problems())
                .singleElement()
                .asString()
                .contains("passwd_heard");
        assertThat(analyse("sum(ivr_verifications_total{verdict=~\"unknown_code|guessed\"})")
                        .problems())
                .hasSize(1);
        assertThat(analyse("hisogram_quantile(0.5, ivr_db_statement_seconds_bucket)")
                        .problems())
                .hasSize(1);
        assertThat(analyse("count({__name__=~\"ivr_.+\"})").problems()).isNotEmpty();
        assertThat(analyse("1e3 * 0.8 * sum(up offset 5m) > bool 0.5").problems())
                .isEmpty();

        assertThat(analyse("ivr_calls_total{phone_number=\"0912345678\"}").labels())
                .anyMatch(MonitoringFilesTest::looksLikeCallerData);
        assertThat(analyse("sum by (uniqueid) (ivr_calls_total)").labels())
                .anyMatch(MonitoringFilesTest::looksLikeCallerData);
        assertThat(analyse("sum(ivr_calls_total) by (bhxh_code)").labels())
                .anyMatch(MonitoringFilesTest::looksLikeCallerData);
        assertThat(analyse("ivr_calls_total{callerid=~\".+\"}").labels())
                .anyMatch(MonitoringFilesTest::looksLikeCallerData);
        assertThat(analyse("ivr_calls_total * on (call_id) group_left (channel) up")
                        .labels())
                .anyMatch(MonitoringFilesTest::looksLikeCallerData);
        assertThat(analyse("sum by (outcome, input, instance, job, le, area) (ivr_calls_total)")
                        .labels())
                .noneMatch(MonitoringFilesTest::looksLikeCallerData);
    }

    // ------------------------------------------------------------------------------------------ PromQL analysis

    /** Metric names, label names and problems found in one expression. */
    record Analysis(Set<String> metrics, Set<String> labels, List<String> problems) {}

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern SELECTOR = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern MATCHER =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|`[^`]*`)");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^()]*)\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([A-Za-z_:][A-Za-z0-9_:]*)");

    static Analysis analyse(String expression) {
        Set<String> metrics = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        List<String> problems = new ArrayList<>();

        // Label matchers: read before the strings go, then drop the whole selector.
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            Matcher matcher = MATCHER.matcher(selector.group(1));
            while (matcher.find()) {
                String label = matcher.group(1);
                String operator = matcher.group(2);
                String value = matcher.group(3).substring(1, matcher.group(3).length() - 1);
                labels.add(label);
                if (label.equals("__name__")) {
                    problems.add("selects metrics by __name__, which hides the metric name from this check");
                }
                checkLabelValue(label, operator, value, problems);
            }
        }
        String rest = SELECTOR.matcher(expression).replaceAll(" ");
        rest = STRING.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        Matcher grouping = GROUPING.matcher(rest);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");

        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group(1);
            int next = identifier.end();
            while (next < rest.length() && Character.isWhitespace(rest.charAt(next))) {
                next++;
            }
            boolean call = next < rest.length() && rest.charAt(next) == '(';
            String lower = name.toLowerCase(Locale.ROOT);
            if (PROMQL_KEYWORDS.contains(lower) || PROMQL_AGGREGATIONS.contains(lower)) {
                continue;
            }
            if (call) {
                if (!PROMQL_FUNCTIONS.contains(name)) {
                    problems.add("unknown PromQL function " + name + "()");
                }
            } else {
                metrics.add(name);
                if (!isKnownMetric(name)) {
                    problems.add("metric " + name + " is not one the app exposes");
                }
            }
        }
        return new Analysis(metrics, labels, problems);
    }

    private static void checkLabelValue(String label, String operator, String value, List<String> problems) {
        Set<String> known = LABEL_VALUES.get(label);
        if (known == null) {
            return;
        }
        List<String> values = operator.endsWith("~") ? List.of(value.split("\\|")) : List.of(value);
        for (String one : values) {
            if (one.matches("\\w+") && !known.contains(one)) {
                problems.add(label + "=\"" + one + "\" is not a value the app writes " + new TreeSet<>(known));
            }
        }
    }

    static boolean isKnownMetric(String name) {
        if (PLAIN_METRICS.contains(name) || SMS_METRICS.contains(name)) {
            return true;
        }
        for (String histogram : HISTOGRAMS) {
            for (String suffix : HISTOGRAM_SUFFIXES) {
                if (name.equals(histogram + suffix)) {
                    return true;
                }
            }
        }
        return name.equals(GC_PAUSE + "_sum") || name.equals(GC_PAUSE + "_count") || name.equals(GC_PAUSE + "_max");
    }

    private static String family(String metric) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            String base = metric.endsWith(suffix) ? metric.substring(0, metric.length() - suffix.length()) : null;
            if (base != null && (HISTOGRAMS.contains(base) || base.equals(GC_PAUSE))) {
                return base;
            }
        }
        return metric;
    }

    static boolean looksLikeCallerData(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        if (FORBIDDEN_LABEL_PART.matcher(lower).find()) {
            return true;
        }
        for (String word : lower.split("_+")) {
            if (FORBIDDEN_LABEL_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static String withGrafanaVariablesReplaced(String expression) {
        return expression.replaceAll("\\[\\s*\\$\\{?\\w+}?\\s*]", "[5m]").replaceAll("\\$\\{[^}]*}|\\$\\w+", ".*");
    }

    // ------------------------------------------------------------------------------------------ reading the files

    /** Every expression with where it comes from: dashboard queries, alert rules and unit-test series. */
    private static Map<String, String> allExpressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        List<String> dashboardExpressions = dashboardExpressions(dashboard());
        for (int n = 0; n < dashboardExpressions.size(); n++) {
            expressions.put("dashboard expression " + n, dashboardExpressions.get(n));
        }
        List<String> alertExpressions = yamlValues(Files.readString(ALERTS, StandardCharsets.UTF_8), "expr");
        assertThat(alertExpressions).hasSizeGreaterThanOrEqualTo(REQUIRED_ALERTS.size());
        for (int n = 0; n < alertExpressions.size(); n++) {
            expressions.put("alerts.yml expression " + n, alertExpressions.get(n));
        }
        List<String> series = yamlValues(Files.readString(ALERTS_TEST, StandardCharsets.UTF_8), "series");
        assertThat(series).isNotEmpty();
        for (int n = 0; n < series.size(); n++) {
            expressions.put("alerts-test.yml series " + n, series.get(n));
        }
        return expressions;
    }

    /** The PromQL of every panel query and of every query variable. */
    @SuppressWarnings("unchecked")
    private static List<String> dashboardExpressions(Map<String, Object> dashboard) {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel : panels(dashboard)) {
            for (Object target : (List<Object>) panel.getOrDefault("targets", List.of())) {
                Object expr = ((Map<String, Object>) target).get("expr");
                assertThat(expr)
                        .as("every query of panel %s has a PromQL expr", panel.get("title"))
                        .isInstanceOf(String.class);
                assertThat((String) expr).isNotBlank();
                expressions.add((String) expr);
            }
        }
        Map<String, Object> templating = (Map<String, Object>) dashboard.getOrDefault("templating", Map.of());
        for (Object variable : (List<Object>) templating.getOrDefault("list", List.of())) {
            Map<String, Object> var = (Map<String, Object>) variable;
            if (!"query".equals(var.get("type"))) {
                continue;
            }
            Object query = var.get("query");
            if (query instanceof Map) {
                query = ((Map<String, Object>) query).get("query");
            }
            Matcher labelValues = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$")
                    .matcher(String.valueOf(query));
            if (labelValues.matches()) {
                expressions.add("count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")");
            } else {
                fail(
                        "query variable %s: only label_values(selector, label) is supported, got %s",
                        var.get("name"), query);
            }
        }
        assertThat(expressions).hasSizeGreaterThan(20);
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object panel : (List<Object>) dashboard.get("panels")) {
            Map<String, Object> map = (Map<String, Object>) panel;
            all.add(map);
            for (Object nested : (List<Object>) map.getOrDefault("panels", List.of())) {
                all.add((Map<String, Object>) nested);
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void collectDatasourceReferences(Object node, List<Map<String, Object>> references) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("datasource".equals(entry.getKey())) {
                    assertThat(entry.getValue())
                            .as("data sources are referenced by {type, uid}, not by name")
                            .isInstanceOf(Map.class);
                    references.add((Map<String, Object>) entry.getValue());
                } else {
                    collectDatasourceReferences(entry.getValue(), references);
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                collectDatasourceReferences(item, references);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws IOException {
        Object parsed = Json.parse(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        assertThat(parsed).as("the dashboard is a JSON object").isInstanceOf(Map.class);
        return (Map<String, Object>) parsed;
    }

    /** Alert name to the text of its rule, from one "- alert:" line to the next. */
    private static Map<String, String> alertBlocks(String rules) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(?m)^\\s*-\\s*alert:\\s*(\\S+)\\s*$").matcher(rules);
        String name = null;
        int start = 0;
        while (matcher.find()) {
            if (name != null) {
                blocks.put(name, rules.substring(start, matcher.start()));
            }
            name = matcher.group(1);
            start = matcher.end();
        }
        if (name != null) {
            blocks.put(name, rules.substring(start));
        }
        return blocks;
    }

    /**
     * The values of a key in a YAML file written the way these files are: a quoted or plain scalar on the key's
     * line, or a literal/folded block ({@code |}, {@code >}) indented below it.
     */
    static List<String> yamlValues(String yaml, String key) {
        List<String> values = new ArrayList<>();
        String[] lines = yaml.split("\n", -1);
        Pattern keyLine = Pattern.compile("^(\\s*)(?:-\\s+)?" + Pattern.quote(key) + ":\\s*(.*?)\\s*$");
        for (int n = 0; n < lines.length; n++) {
            Matcher matcher = keyLine.matcher(lines[n]);
            if (!matcher.matches()) {
                continue;
            }
            String indent = matcher.group(1);
            String value = matcher.group(2);
            if (value.matches("[|>][-+]?")) {
                StringBuilder block = new StringBuilder();
                while (n + 1 < lines.length
                        && (lines[n + 1].isBlank() || leadingSpaces(lines[n + 1]) > indent.length())) {
                    block.append(lines[++n].strip()).append('\n');
                }
                values.add(block.toString().strip());
            } else if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                values.add(value.substring(1, value.length() - 1).replace("''", "'"));
            } else if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                values.add(value.substring(1, value.length() - 1)
                        .replace("\\\"", "\"")
                        .replace("\\\\", "\\"));
            } else {
                values.add(value);
            }
        }
        return values;
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static Path repositoryRoot() {
        // Maven runs the tests in ivr-app/; an IDE may run them from the repository root.
        Path parent = Path.of("..").toAbsolutePath().normalize();
        if (Files.isDirectory(parent.resolve("monitoring"))) {
            return parent;
        }
        Path here = Path.of("").toAbsolutePath().normalize();
        if (Files.isDirectory(here.resolve("monitoring"))) {
            return here;
        }
        return parent;
    }

    // ------------------------------------------------------------------------------------------ promtool

    record ProcessResult(int exitCode, String output) {}

    private static ProcessResult promtool(String... arguments) {
        String promtool = System.getenv().getOrDefault("PROMTOOL", "promtool");
        List<String> command = new ArrayList<>();
        command.add(promtool);
        command.addAll(List.of(arguments));
        Path output;
        Process process;
        try {
            output = Files.createTempFile("promtool", ".out");
        } catch (IOException e) {
            throw new AssertionError("could not create a file for promtool's output", e);
        }
        try {
            process = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is not installed (or not on the PATH): install Debian's prometheus package,"
                            + " e.g. 'apt-get install prometheus', which provides promtool"
                            + " (or point the PROMTOOL environment variable at a promtool binary)",
                    e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("promtool %s did not finish within 2 minutes", String.join(" ", arguments));
            }
            return new ProcessResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not read promtool's output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while promtool ran", e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    // ------------------------------------------------------------------------------------------ JSON

    /** A strict JSON reader (RFC 8259) into maps, lists, strings, numbers, booleans and null. */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text.startsWith("\uFEFF") ? text.substring(1) : text);
            json.whitespace();
            Object value = json.value();
            json.whitespace();
            if (json.at != json.text.length()) {
                throw json.error("unexpected text after the JSON value");
            }
            return value;
        }

        private Object value() {
            if (at >= text.length()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            expect('{');
            whitespace();
            if (peek() == '}') {
                at++;
                return object;
            }
            while (true) {
                whitespace();
                if (peek() != '"') {
                    throw error("expected a member name");
                }
                int keyAt = at;
                String key = string();
                whitespace();
                expect(':');
                whitespace();
                Object value = value();
                if (object.containsKey(key)) {
                    at = keyAt;
                    throw error("duplicate member \"" + key + "\"");
                }
                object.put(key, value);
                whitespace();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect('}');
                return object;
            }
        }

        private List<Object> array() {
            List<Object> array = new ArrayList<>();
            expect('[');
            whitespace();
            if (peek() == ']') {
                at++;
                return array;
            }
            while (true) {
                whitespace();
                array.add(value());
                whitespace();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect(']');
                return array;
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw error("unterminated escape");
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()
                                || !text.substring(at, at + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + escaped);
                }
            }
        }

        private Number number() {
            Matcher matcher = NUMBER.matcher(text).region(at, text.length());
            if (!matcher.lookingAt()) {
                throw error("bad number");
            }
            String number = matcher.group();
            at = matcher.end();
            if (number.matches("-?\\d+") && number.length() < 18) {
                return Long.parseLong(number);
            }
            return Double.parseDouble(number);
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("unexpected literal");
            }
            at += word.length();
            return value;
        }

        private char peek() {
            if (at >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private void whitespace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private IllegalArgumentException error(String message) {
            int line = 1;
            int column = 1;
            for (int n = 0; n < at && n < text.length(); n++) {
                if (text.charAt(n) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new IllegalArgumentException("invalid JSON at line " + line + ", column " + column + ": " + message);
        }
    }
}
