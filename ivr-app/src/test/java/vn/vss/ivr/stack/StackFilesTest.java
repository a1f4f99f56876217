package vn.vss.ivr.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files of the stack (docker-compose.yml, dialplan/, sipp/), checked with the tools that
 * read them in production. docker-compose and sipp must be installed (Debian packages docker-compose and
 * sip-tester): without them these tests fail, they are not skipped.
 */
class StackFilesTest {

    private static final Path ROOT = repositoryRoot();
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);
    /** The compose profile that adds a second ivr-app instance. */
    private static final String TWO_INSTANCES = "two-instances";

    /** Dialplan contexts where a call from an endpoint starts (pjsip.conf). */
    private static final List<String> ENTRY_CONTEXTS = List.of("from-carrier", "from-sipp-test");

    /** Applications that place, bridge or hand over calls, or run commands: never reachable from the hotline. */
    private static final Set<String> FORBIDDEN_APPLICATIONS = Set.of(
            "dial",
            "originate",
            "queue",
            "page",
            "followme",
            "transfer",
            "blindtransfer",
            "attendedtransfer",
            "bridge",
            "bridgeadd",
            "chanspy",
            "extenspy",
            "disa",
            "system",
            "trysystem",
            "macro",
            "stasis",
            "confbridge",
            "meetme",
            "pickup",
            "pickupchan",
            "dictate",
            "voicemail");

    private static final Pattern CONTEXT_HEADER = Pattern.compile("^\\[([^\\]]+)](\\([!+]*\\))?\\s*$");

    @Test
    void dockerComposeAcceptsTheComposeFile() {
        ToolResult result = composeWithSecrets("config", "-q");

        assertThat(result.exitCode())
                .as("docker-compose config -q rejected docker-compose.yml:%n%s", result.output())
                .isZero();
    }

    @Test
    void dockerComposeAcceptsTheComposeFileWithTheTwoInstancesProfile() {
        ToolResult result = composeWithSecrets("--profile", TWO_INSTANCES, "config", "-q");

        assertThat(result.exitCode())
                .as(
                        "docker-compose --profile %s config -q rejected docker-compose.yml:%n%s",
                        TWO_INSTANCES, result.output())
                .isZero();
    }

    @Test
    void theSecondInstanceRunsLikeTheFirstOnTheSameDatabaseWithItsOwnNameSpoolAndAddress() {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("--profile", TWO_INSTANCES, "config"));

        assertThat(compose.list("ivr-app-2", "profiles"))
                .as("profiles of ivr-app-2")
                .containsExactly(TWO_INSTANCES);
        assertThat(compose.list("ivr-app", "profiles"))
                .as("profiles of ivr-app: always started")
                .isEmpty();
        Map<String, String> first = compose.map("ivr-app", "environment");
        Map<String, String> second = compose.map("ivr-app-2", "environment");
        assertThat(first.get("IVR_INSTANCE_ID"))
                .as("IVR_INSTANCE_ID of the two instances: the database tells their calls apart by it")
                .isNotBlank()
                .isNotEqualTo(second.get("IVR_INSTANCE_ID"));
        Map<String, String> secondButItsName = new LinkedHashMap<>(second);
        secondButItsName.put("IVR_INSTANCE_ID", first.get("IVR_INSTANCE_ID"));
        assertThat(secondButItsName)
                .as("settings of ivr-app-2 (same database, ports, limits and drain as ivr-app)")
                .isEqualTo(first);
        assertThat(compose.value("ivr-app-2", "image")).isEqualTo(compose.value("ivr-app", "image"));
        assertThat(compose.value("ivr-app-2", "stop_grace_period"))
                .as("stop_grace_period of ivr-app-2: the same drain as ivr-app")
                .isEqualTo(compose.value("ivr-app", "stop_grace_period"));

        String spool = first.get("IVR_SPOOL_FILE");
        assertThat(volumeAt(compose, "ivr-app-2", spool))
                .as("volume of ivr-app-2 holding its spool (%s): never the one of ivr-app", spool)
                .isNotEqualTo(volumeAt(compose, "ivr-app", spool));
        for (String shared : List.of(first.get("IVR_SOUNDS_DIR"), first.get("IVR_RECORDINGS_DIR"))) {
            assertThat(volumeAt(compose, "ivr-app-2", shared))
                    .as("volume at %s: the one Asterisk plays from and records into", shared)
                    .isEqualTo(volumeAt(compose, "asterisk", shared));
        }
        assertThat(compose.value("ivr-app-2", "ipv4_address"))
                .as("address of ivr-app-2 on the voice network")
                .isNotEqualTo(compose.value("ivr-app", "ipv4_address"));
        assertThat(compose.publishedPorts())
                .as("services that publish ports with the profile on")
                .containsOnlyKeys("asterisk");
    }

    @Test
    void asteriskReachesTheFirstInstanceByDefaultAndTheReadmeNamesBothForTheProfile() {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("config"));
        String port = compose.value("ivr-app", "IVR_AGI_PORT");

        assertThat(compose.value("asterisk", "IVR_AGI_ADDRESSES"))
                .as("IVR_AGI_ADDRESSES of asterisk without the profile")
                .isEqualTo("ivr-app:" + port);
        String both = "IVR_AGI_ADDRESSES=ivr-app:" + port + ",ivr-app-2:" + port;
        assertThat(readme())
                .as("README on the %s profile", TWO_INSTANCES)
                .contains(both + " docker-compose --profile " + TWO_INSTANCES);
    }

    @Test
    void prometheusScrapesBothInstancesAndExpectsOnlyTheFirst() throws IOException {
        String prometheus = Files.readString(ROOT.resolve("monitoring/prometheus/prometheus.yml"));
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("--profile", TWO_INSTANCES, "config"));
        String port = compose.value("ivr-app", "IVR_HTTP_PORT");

        // A static target that does not resolve is scraped as up == 0 and fires IvrDatabaseUnreachable:
        // only the instance that always runs may be one. Profile instances are looked up in DNS, which
        // gives no target at all while they do not exist.
        Matcher targets = Pattern.compile("(?m)^\\s*- targets:\\s*\\[(.*)]").matcher(prometheus);
        List<String> staticTargets = new ArrayList<>();
        while (targets.find()) {
            for (String target : targets.group(1).split(",")) {
                staticTargets.add(target.strip().replace("\"", ""));
            }
        }
        assertThat(staticTargets)
                .as("static scrape targets")
                .contains("ivr-app:" + port)
                .doesNotContain("ivr-app-2:" + port);
        Matcher names = Pattern.compile("(?m)^\\s*- names:\\s*\\[(.*)]").matcher(prometheus);
        assertThat(names.find()).as("dns_sd_configs names in prometheus.yml").isTrue();
        assertThat(names.group(1)).contains("\"ivr-app-2\"");
        assertThat(prometheus)
                .as("the DNS-found instances are scraped on the HTTP port and named like the static target")
                .containsPattern("(?m)^\\s*port: " + port + "$")
                .containsPattern("(?m)^\\s*replacement: \\$\\{1}:" + port + "$");
    }

    /** The volume a service mounts at a path or above it (the deepest), from "volume:path[:mode]". */
    private static String volumeAt(ComposeConfig compose, String service, String path) {
        String volume = null;
        int deepest = -1;
        for (String mount : compose.list(service, "volumes")) {
            String[] parts = mount.split(":");
            if (parts.length >= 2
                    && (path.equals(parts[1]) || path.startsWith(parts[1] + "/"))
                    && parts[1].length() > deepest) {
                volume = parts[0];
                deepest = parts[1].length();
            }
        }
        return volume != null ? volume : fail("%s mounts no volume at %s", service, path);
    }

    @Test
    void withoutTheDatabasePassword_theStackRefusesToStartAndNamesTheVariable() {
        ToolResult result = run(
                List.of(tool("docker-compose"), "-f", "docker-compose.yml", "config", "-q"),
                Map.of("GRAFANA_ADMIN_PASSWORD", "placeholder-for-this-check"));

        assertThat(result.exitCode())
                .as("docker-compose config without IVR_DB_PASSWORD")
                .isNotZero();
        assertThat(result.output()).contains("set IVR_DB_PASSWORD").doesNotContain("GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void withoutGrafanasAdminPassword_theStackRefusesToStartAndNamesTheVariable() {
        ToolResult result = run(
                List.of(tool("docker-compose"), "-f", "docker-compose.yml", "config", "-q"),
                Map.of("IVR_DB_PASSWORD", "placeholder-for-this-check", "GRAFANA_ADMIN_PASSWORD", ""));

        assertThat(result.exitCode())
                .as("docker-compose config without GRAFANA_ADMIN_PASSWORD")
                .isNotZero();
        assertThat(result.output()).contains("set GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void noSecretHasADefaultInTheComposeFile() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"), StandardCharsets.UTF_8);

        // An empty default (${IVR_SMSC_PASSWORD:-}) holds no secret: with an SMSC address and no password the app
        // refuses to start.
        assertThat(Pattern.compile("\\$\\{[A-Z_]*PASSWORD[A-Z_]*:?-(?!})")
                        .matcher(compose)
                        .find())
                .as("a password variable with a default (${...PASSWORD:-...}) in docker-compose.yml")
                .isFalse();
    }

    @Test
    void everySippScenarioLoadsInTheInstalledSipp() throws IOException {
        tool("sipp");
        ToolResult result = run(List.of("bash", "sipp/check-scenarios.sh", "--no-compose"));

        assertThat(result.exitCode())
                .as("sipp/check-scenarios.sh found scenarios that do not load:%n%s", result.output())
                .isZero();
        List<String> scenarios;
        try (Stream<Path> files = Files.list(ROOT.resolve("sipp"))) {
            scenarios = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".xml"))
                    .sorted()
                    .toList();
        }
        assertThat(scenarios).as("SIPp scenarios in sipp/").isNotEmpty();
        for (String scenario : scenarios) {
            assertThat(result.output())
                    .as("check-scenarios.sh output for %s", scenario)
                    .containsPattern("(?m)^ok +sipp/" + Pattern.quote(scenario) + "$");
        }
    }

    @Test
    void onlyDigitsOfTheCallerNumberReachTheApplicationAndTheAnswerTimeIsTakenBeforeAnswering() {
        Dialplan dialplan = Dialplan.read(ROOT.resolve("dialplan/extensions.conf"));
        List<String> menu = dialplan.lines("vssid-hotline-menu");
        String steps = String.join("\n", menu);

        int filter = indexOf(menu, "Set(CALLERID(num)=${FILTER(+0123456789,${CALLERID(num)})})");
        int handler = indexOf(menu, "Set(CHANNEL(hangup_handler_push)=vssid-call-ended,s,1)");
        int answeredAt = indexOf(menu, "Set(VSSID_ANSWERED_AT=${STRFTIME(,,%s%3q)})");
        int answer = indexOf(menu, "Answer()");
        assertThat(filter)
                .as("FILTER of the caller number in [vssid-hotline-menu]")
                .isNotNegative();
        assertThat(handler).as("hang-up handler pushed in [vssid-hotline-menu]").isNotNegative();
        assertThat(answeredAt).as("answer time in [vssid-hotline-menu]").isNotNegative();
        assertThat(answer).as("Answer() in [vssid-hotline-menu]").isGreaterThan(Math.max(filter, handler));
        assertThat(answeredAt)
                .as("the answer time is taken right before Answer()")
                .isEqualTo(answer - 1);
        assertThat(steps)
                .as("caller name and redirecting numbers are emptied")
                .contains("Set(CALLERID(name)=)", "Set(REDIRECTING(from-num,i)=)", "Set(REDIRECTING(from-name,i)=)");
        assertThat(dialplan.contextsReachableFrom(ENTRY_CONTEXTS))
                .as("the hang-up handler's context is checked like the menu")
                .contains("vssid-call-ended");
    }

    private static int indexOf(List<String> lines, String step) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(step)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void noApplicationThatPlacesCallsIsReachableFromTheHotline() {
        Dialplan dialplan = Dialplan.read(ROOT.resolve("dialplan/extensions.conf"));
        Set<String> reachable = dialplan.contextsReachableFrom(ENTRY_CONTEXTS);

        assertThat(reachable).as("contexts reachable from the entry contexts").contains("vssid-hotline-menu");
        for (String context : reachable) {
            for (String application : dialplan.applications(context)) {
                assertThat(FORBIDDEN_APPLICATIONS)
                        .as("application %s() in context [%s]", application, context)
                        .doesNotContain(application.toLowerCase(Locale.ROOT));
            }
            assertThat(String.join("\n", dialplan.lines(context)))
                    .as("context [%s]", context)
                    .doesNotContainPattern("(?i)\\b(dial|originate|system|trysystem)\\s*\\(");
        }
        assertThat(reachable)
                .as("the call-back contexts, which only an AMI Originate starts")
                .doesNotContain("vssid-callback-dial", "vssid-callback-leg");
        for (String context : dialplan.contexts().keySet()) {
            if (!context.equals("vssid-callback-dial")) {
                assertThat(String.join("\n", dialplan.lines(context)))
                        .as("context [%s]: Dial() is only in [vssid-callback-dial]", context)
                        .doesNotContainPattern("(?i)\\bdial\\s*\\(");
            }
        }
    }

    @Test
    void theCallBackDialsOnlyTheCarrierTrunkWithANumberCheckedAgainstTheVietnamesePattern() {
        List<String> dial =
                Dialplan.read(ROOT.resolve("dialplan/extensions.conf")).lines("vssid-callback-dial");
        String steps = String.join("\n", dial);

        List<String> dials = dial.stream()
                .filter(line -> line.matches("(?i).*\\bdial\\s*\\(.*"))
                .toList();
        assertThat(dials).as("Dial() in [vssid-callback-dial]").singleElement().satisfies(line -> assertThat(line)
                .contains("Dial(PJSIP/${VSSID_CALLBACK_NUMBER}@carrier-out,"));
        String check =
                "GotoIf($[${REGEX(\"" + vn.vss.ivr.call.CallBackNumber.PATTERN + "\" ${VSSID_CALLBACK_NUMBER})}]?dial)";
        assertThat(indexOf(dial, check))
                .as("the number is checked with the pattern of CallBackNumber before Dial()")
                .isNotNegative()
                .isLessThan(indexOf(dial, "Dial("));
        assertThat(steps).as("the number is used only after the check").containsOnlyOnce("(dial),");
        assertThat(steps.indexOf("${VSSID_CALLBACK_NUMBER}"))
                .as("no use of the number before its check")
                .isEqualTo(steps.indexOf(check) + check.indexOf("${VSSID_CALLBACK_NUMBER}"));
    }

    @Test
    void entryContextsAnswerOnlyTheHotlineNumber() {
        Dialplan dialplan = Dialplan.read(ROOT.resolve("dialplan/extensions.conf"));

        for (String context : ENTRY_CONTEXTS) {
            assertThat(dialplan.extensions(context))
                    .as("extensions of [%s]", context)
                    .containsExactly("19009068");
            assertThat(dialplan.includes(context))
                    .as("includes of [%s]", context)
                    .isEmpty();
        }
        for (String context : dialplan.contextsReachableFrom(ENTRY_CONTEXTS)) {
            assertThat(dialplan.extensions(context))
                    .as("extensions of [%s]: no pattern catch-alls", context)
                    .noneMatch(extension -> extension.startsWith("_"));
        }
    }

    @Test
    void composePublishesOnlySipAndTheRtpRangeOfRtpConf() {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("config"));
        Map<String, Set<Integer>> published = compose.publishedPorts();

        assertThat(published.values().stream().flatMap(Set::stream))
                .as("ports published to the host")
                .doesNotContain(4573, 5432, 8080);
        assertThat(published.keySet()).as("services that publish ports").containsExactly("asterisk");

        Map<String, String> rtp = settings(ROOT.resolve("dialplan/rtp.conf"));
        int start = Integer.parseInt(rtp.get("rtpstart"));
        int end = Integer.parseInt(rtp.get("rtpend"));
        Set<Integer> expected = new TreeSet<>();
        expected.add(5060);
        IntStream.rangeClosed(start, end).forEach(expected::add);
        assertThat(new TreeSet<>(published.get("asterisk")))
                .as("ports of asterisk: SIP 5060 and rtp.conf's range %d-%d", start, end)
                .isEqualTo(expected);
    }

    @Test
    void onlyTheAsteriskContainerMayOpenFastAgiSessions() {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("config"));

        String asteriskAddress = compose.value("asterisk", "ipv4_address");
        assertThat(asteriskAddress).as("fixed address of asterisk").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(compose.value("ivr-app", "IVR_AGI_ALLOWED_PEERS"))
                .as("IVR_AGI_ALLOWED_PEERS of ivr-app")
                .isEqualTo(asteriskAddress);
        assertThat(compose.value("asterisk", "SIPP_TEST_ADDRESSES"))
                .as("SIPP_TEST_ADDRESSES of asterisk: empty unless set, the test endpoint trusts any caller ID")
                .isEmpty();
        assertThat(readme())
                .as("README's call tests open the test endpoint to the sipp container")
                .contains("SIPP_TEST_ADDRESSES=" + compose.value("sipp", "ipv4_address")
                        + " docker-compose up -d asterisk");
    }

    @Test
    void dockerWaitsForTheDrainBeforeKillingIvrApp() {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("config"));

        Duration drain = vn.vss.ivr.config.IvrConfig.from(
                        Map.of("IVR_DRAIN_TIMEOUT", compose.value("ivr-app", "IVR_DRAIN_TIMEOUT")))
                .drainTimeout();
        Duration grace = composeDuration(compose.value("ivr-app", "stop_grace_period"));
        assertThat(grace)
                .as("stop_grace_period of ivr-app: the drain limit and 30 s for the calls told of the restart")
                .isGreaterThanOrEqualTo(drain.plusSeconds(30));
    }

    /** A compose duration such as {@code 12m}, {@code 1h30m} or {@code 90s}. */
    private static Duration composeDuration(String value) {
        Matcher part = Pattern.compile("(\\d+)([hms])").matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "h" -> Duration.ofHours(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofSeconds(amount);
                    });
            end = part.end();
        }
        assertThat(end).as("a duration Docker reads: %s", value).isEqualTo(value.length());
        return total;
    }

    @Test
    void asteriskCallsTheFastAgiPortOfIvrAppAndIvrAppCountsTheHotlineCallCeiling() throws IOException {
        ComposeConfig compose = ComposeConfig.of(composeWithSecrets("config"));

        assertThat(compose.value("asterisk", "IVR_AGI_PORT"))
                .as("IVR_AGI_PORT of asterisk (the dialplan's FastAGI URL)")
                .isEqualTo(compose.value("ivr-app", "IVR_AGI_PORT"));
        int hotlineCalls = Integer.parseInt(globals().get("HOTLINE_MAX_CALLS"));
        assertThat(compose.value("ivr-app", "IVR_AGI_MAX_CALLS"))
                .as(
                        "IVR_AGI_MAX_CALLS of ivr-app: the calls the menu admits (HOTLINE_MAX_CALLS), so capacity alerts can fire")
                .isEqualTo(String.valueOf(hotlineCalls));
    }

    @Test
    void aCallerBeyondCapacityHearsBusyAndEveryAdmittedCallGetsItsRtpPorts() throws IOException {
        int hotlineCalls = Integer.parseInt(globals().get("HOTLINE_MAX_CALLS"));
        Matcher maxCalls = Pattern.compile("(?m)^\\s*maxcalls\\s*=\\s*(\\d+)")
                .matcher(Files.readString(ROOT.resolve("dialplan/asterisk.conf")));
        assertThat(maxCalls.find()).as("maxcalls in dialplan/asterisk.conf").isTrue();
        int channels = Integer.parseInt(maxCalls.group(1));
        Map<String, String> rtp = settings(ROOT.resolve("dialplan/rtp.conf"));
        int rtpCalls = (Integer.parseInt(rtp.get("rtpend")) - Integer.parseInt(rtp.get("rtpstart")) + 1) / 2;

        // Asterisk answers a call over maxcalls with 503 and one over the RTP range with 488: both must
        // stay above the menu's own limit, whose answer is a clean busy (486).
        assertThat(channels).as("maxcalls above HOTLINE_MAX_CALLS").isGreaterThan(hotlineCalls);
        assertThat(rtpCalls)
                .as("calls the RTP range of rtp.conf holds, against maxcalls")
                .isGreaterThanOrEqualTo(channels);

        List<String> menu =
                Dialplan.read(ROOT.resolve("dialplan/extensions.conf")).lines("vssid-hotline-menu");
        int check = indexOf(menu, "GotoIf($[${GROUP_COUNT(vssid-hotline)} > ${HOTLINE_MAX_CALLS}]?busy)");
        assertThat(indexOf(menu, "Set(GROUP()=vssid-hotline)"))
                .as("the menu counts its calls")
                .isBetween(0, check);
        assertThat(check).as("the capacity check comes before Answer()").isBetween(0, indexOf(menu, "Answer()"));
        assertThat(menu).as("the busy answer").anyMatch(line -> line.contains("n(busy),Busy("));
    }

    /** The [globals] of extensions.conf. */
    private static Map<String, String> globals() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        boolean inGlobals = false;
        for (String line : Files.readAllLines(ROOT.resolve("dialplan/extensions.conf"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inGlobals = trimmed.equals("[globals]");
            } else if (inGlobals && !trimmed.startsWith(";") && trimmed.contains("=")) {
                String[] keyValue = trimmed.split("=", 2);
                values.put(keyValue[0].strip(), keyValue[1].strip());
            }
        }
        return values;
    }

    private static String readme() {
        try {
            return Files.readString(ROOT.resolve("README.md"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Path repositoryRoot() {
        Path workingDirectory = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {workingDirectory, workingDirectory.getParent()}) {
            if (candidate != null
                    && Files.isRegularFile(candidate.resolve("docker-compose.yml"))
                    && Files.isDirectory(candidate.resolve("dialplan"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "repository root not found from " + workingDirectory + " (expected docker-compose.yml there or in ..)");
    }

    /** The executable of a Debian-packaged tool, or a failure that says which package to install. */
    private static String tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
                return Path.of(directory, name).toString();
            }
        }
        String debianPackage = name.equals("sipp") ? "sip-tester" : name;
        return fail(
                "%s is not installed: install the Debian package %s (apt-get install %s); the build installs it when run as root (tools/install-test-tools.sh)",
                name, debianPackage, debianPackage);
    }

    private record ToolResult(int exitCode, String output) {}

    /** docker-compose on the compose file, with stand-ins for the secrets it requires. */
    private static ToolResult composeWithSecrets(String... arguments) {
        List<String> command = new ArrayList<>(List.of(tool("docker-compose"), "-f", "docker-compose.yml"));
        command.addAll(List.of(arguments));
        return run(
                command,
                Map.of(
                        "IVR_DB_PASSWORD",
                        "placeholder-for-this-check",
                        "GRAFANA_ADMIN_PASSWORD",
                        "placeholder-for-this-check"));
    }

    private static ToolResult run(List<String> command) {
        return run(command, Map.of());
    }

    /** Runs a tool without this machine's IVR_, SIPP_ and secret settings, plus {@code environment}. */
    private static ToolResult run(List<String> command, Map<String, String> environment) {
        try {
            Path output = Files.createTempFile("stack-files-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                // The files' own defaults are checked, not this machine's settings.
                builder.environment()
                        .keySet()
                        .removeIf(name -> name.startsWith("SIPP_")
                                || name.startsWith("IVR_")
                                || name.equals("GRAFANA_ADMIN_PASSWORD"));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail("%s did not finish within %s", String.join(" ", command), TOOL_TIMEOUT);
                }
                return new ToolResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return fail("could not run %s: %s", String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running %s", String.join(" ", command));
        }
    }

    /** key = value settings of an Asterisk configuration file, comments removed. */
    private static Map<String, String> settings(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Dialplan.readWithoutComments(file)) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("[")) {
                values.put(
                        line.substring(0, equals).replace(">", "").trim(),
                        line.substring(equals + 1).trim());
            }
        }
        return values;
    }

    /** extensions.conf read as contexts of lines, enough to follow jumps between contexts. */
    private record Dialplan(Map<String, List<String>> contexts) {

        private static final Pattern JUMP =
                Pattern.compile("(?i)\\b(Goto|GotoIf|GotoIfTime|Gosub|GosubIf)\\s*\\((.*)\\)\\s*$");
        /** A hang-up handler runs in its context when the call ends: as reachable as a jump. */
        private static final Pattern HANGUP_HANDLER =
                Pattern.compile("(?i)CHANNEL\\(hangup_handler_(?:push|wipe)\\)\\s*=\\s*([^,)]+),");

        static Dialplan read(Path file) {
            Map<String, List<String>> contexts = new LinkedHashMap<>();
            List<String> current = null;
            for (String line : readWithoutComments(file)) {
                Matcher header = CONTEXT_HEADER.matcher(line);
                if (header.matches()) {
                    current = contexts.computeIfAbsent(header.group(1).trim(), name -> new ArrayList<>());
                } else if (current != null) {
                    current.add(line);
                }
            }
            assertThat(contexts).as("contexts of %s", file).isNotEmpty();
            return new Dialplan(contexts);
        }

        static List<String> readWithoutComments(Path file) {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(line -> line.replaceAll("(?<!\\\\);.*$", "").trim())
                        .filter(line -> !line.isEmpty())
                        .toList();
            } catch (IOException e) {
                return fail("cannot read %s: %s", file, e);
            }
        }

        List<String> allLines() {
            return contexts.values().stream().flatMap(List::stream).toList();
        }

        List<String> lines(String context) {
            return contexts.getOrDefault(context, List.of());
        }

        /** Extension names of a context ("exten => NAME,..."), in order, without repeats. */
        List<String> extensions(String context) {
            Set<String> names = new LinkedHashSet<>();
            for (String line : lines(context)) {
                String[] keyValue = line.split("=>", 2);
                if (keyValue.length == 2 && keyValue[0].trim().equalsIgnoreCase("exten")) {
                    names.add(keyValue[1].split(",", 2)[0].trim());
                }
            }
            return List.copyOf(names);
        }

        List<String> includes(String context) {
            List<String> included = new ArrayList<>();
            for (String line : lines(context)) {
                String[] keyValue = line.split("=>", 2);
                if (keyValue.length == 2 && keyValue[0].trim().equalsIgnoreCase("include")) {
                    included.add(keyValue[1].split(",", 2)[0].trim());
                }
            }
            return included;
        }

        /** Application of every priority line: "exten => x,1,App(...)" and "same => n(label),App(...)". */
        List<String> applications(String context) {
            List<String> applications = new ArrayList<>();
            for (String line : lines(context)) {
                String[] keyValue = line.split("=>", 2);
                if (keyValue.length != 2) {
                    continue;
                }
                String key = keyValue[0].trim().toLowerCase(Locale.ROOT);
                String[] parts = keyValue[1].split(",", key.equals("exten") ? 3 : 2);
                if ((key.equals("exten") && parts.length == 3) || (key.equals("same") && parts.length == 2)) {
                    String call = parts[parts.length - 1].trim();
                    int parenthesis = call.indexOf('(');
                    applications.add((parenthesis < 0 ? call : call.substring(0, parenthesis)).trim());
                }
            }
            return applications;
        }

        /** Contexts a call can reach from the given ones, through includes and jumps that name a context. */
        Set<String> contextsReachableFrom(List<String> entries) {
            Set<String> reached = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(entries);
            while (!pending.isEmpty()) {
                String context = pending.pop();
                if (!reached.add(context)) {
                    continue;
                }
                assertThat(contexts).as("context [%s] is defined", context).containsKey(context);
                pending.addAll(includes(context));
                for (String line : lines(context)) {
                    Matcher handler = HANGUP_HANDLER.matcher(line);
                    if (handler.find()) {
                        pending.add(handler.group(1).trim());
                    }
                    Matcher jump = JUMP.matcher(line);
                    if (jump.find()) {
                        for (String target : jumpTargets(jump.group(2))) {
                            String[] parts = target.split(",");
                            if (parts.length >= 3) {
                                String targetContext = parts[0].trim();
                                assertThat(targetContext)
                                        .as("jump target context in [%s] must be written out: %s", context, line)
                                        .doesNotContain("$");
                                pending.add(targetContext);
                            }
                        }
                    }
                }
            }
            return reached;
        }

        /** "cond?a:b" gives a and b; "ctx,exten,prio" gives itself. */
        private static List<String> jumpTargets(String arguments) {
            int question = arguments.indexOf('?');
            if (question < 0) {
                return List.of(arguments);
            }
            return List.of(arguments.substring(question + 1).split(":"));
        }
    }

    /** The normalised output of "docker-compose config", read by indentation. */
    private record ComposeConfig(Map<String, List<String>> services) {

        static ComposeConfig of(ToolResult result) {
            assertThat(result.exitCode())
                    .as("docker-compose config failed:%n%s", result.output())
                    .isZero();
            Map<String, List<String>> services = new LinkedHashMap<>();
            boolean inServices = false;
            List<String> current = null;
            for (String line : result.output().split("\\R")) {
                if (!line.startsWith(" ") && !line.isBlank()) {
                    inServices = line.startsWith("services:");
                    current = null;
                } else if (inServices && line.matches("^  [A-Za-z0-9._-]+:\\s*$")) {
                    current = services.computeIfAbsent(line.trim().replace(":", ""), name -> new ArrayList<>());
                } else if (inServices && current != null) {
                    current.add(line);
                }
            }
            assertThat(services).as("services in docker-compose config").isNotEmpty();
            return new ComposeConfig(services);
        }

        /** The first "key: value" of a service, at any depth, unquoted. */
        String value(String service, String key) {
            Pattern pattern = Pattern.compile("^\\s*-?\\s*" + Pattern.quote(key) + ":\\s*['\"]?([^'\"]*)['\"]?\\s*$");
            for (String line : services.getOrDefault(service, List.of())) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches()) {
                    return matcher.group(1).trim();
                }
            }
            return fail("no %s in service %s of docker-compose config", key, service);
        }

        /** The "- item" lines under a key of a service (one level below it), unquoted; empty if none. */
        List<String> list(String service, String key) {
            List<String> items = new ArrayList<>();
            for (String line : block(service, key)) {
                Matcher item =
                        Pattern.compile("^\\s*-\\s*['\"]?([^'\"]*)['\"]?\\s*$").matcher(line);
                if (item.matches()) {
                    items.add(item.group(1).trim());
                }
            }
            return items;
        }

        /** The "NAME: value" lines under a key of a service (one level below it), unquoted. */
        Map<String, String> map(String service, String key) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : block(service, key)) {
                Matcher entry = Pattern.compile("^\\s*([A-Za-z0-9_.-]+):\\s*['\"]?([^'\"]*)['\"]?\\s*$")
                        .matcher(line);
                if (entry.matches()) {
                    values.put(entry.group(1), entry.group(2).trim());
                }
            }
            assertThat(values).as("%s of service %s", key, service).isNotEmpty();
            return values;
        }

        /** The lines nested under the service's top-level key. */
        private List<String> block(String service, String key) {
            List<String> lines = services.getOrDefault(service, List.of());
            List<String> nested = new ArrayList<>();
            int keyIndent = -1;
            for (String line : lines) {
                int indent = line.length() - line.stripLeading().length();
                if (keyIndent < 0) {
                    if (indent == 4 && line.trim().equals(key + ":")) {
                        keyIndent = indent;
                    }
                } else if (indent > keyIndent
                        || (indent == keyIndent && line.trim().startsWith("-"))) {
                    nested.add(line);
                } else {
                    break;
                }
            }
            return nested;
        }

        /** Host ports each service publishes (long syntax "published: N" or short "HOST:CONTAINER"). */
        Map<String, Set<Integer>> publishedPorts() {
            Map<String, Set<Integer>> ports = new LinkedHashMap<>();
            Pattern published = Pattern.compile("^\\s*-?\\s*published:\\s*['\"]?(\\d+)(?:-(\\d+))?['\"]?\\s*$");
            Pattern shortSyntax = Pattern.compile(
                    "^\\s*-\\s*['\"]?(?:[0-9.]+:)?(\\d+)(?:-(\\d+))?:\\d+(?:-\\d+)?(?:/\\w+)?['\"]?\\s*$");
            services.forEach((service, lines) -> {
                int portsIndent = -1;
                for (String line : lines) {
                    int indent = line.length() - line.stripLeading().length();
                    if (line.trim().equals("ports:")) {
                        portsIndent = indent;
                        continue;
                    }
                    if (portsIndent >= 0
                            && (indent < portsIndent
                                    || (indent == portsIndent && !line.trim().startsWith("-")))) {
                        portsIndent = -1;
                    }
                    if (portsIndent < 0) {
                        continue;
                    }
                    for (Pattern pattern : List.of(published, shortSyntax)) {
                        Matcher matcher = pattern.matcher(line);
                        if (matcher.matches()) {
                            int first = Integer.parseInt(matcher.group(1));
                            int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
                            IntStream.rangeClosed(first, last)
                                    .forEach(port -> ports.computeIfAbsent(service, name -> new TreeSet<>())
                                            .add(port));
                            break;
                        }
                    }
                }
            });
            return ports;
        }
    }
}
