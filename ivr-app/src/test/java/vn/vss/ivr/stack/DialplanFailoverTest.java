package vn.vss.ivr.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialplan's FastAGI failover ([vssid-agi]): Asterisk reaches a list of ivr-app instances, by DNS
 * SRV (hagi://) and then by the listed addresses, moving on whenever AGISTATUS is FAILURE. What a real
 * Asterisk 22 did with it was captured by hand (src/test/resources/asterisk-22-agi/fastagi-failover.txt):
 * these tests keep the shipped dialplan the one that was seen working, step by step, and check the
 * start-up script that writes the list of instances.
 */
class DialplanFailoverTest {

    private static final Path ROOT = repositoryRoot();
    private static final Pattern EXECUTING = Pattern.compile(
            "Executing \\[([^@\\]]+)@([^:\\]]+):(\\d+)] (\\w+)\\(\"[^\"]*\", \"(.*)\"\\) in new stack$");
    private static final Pattern STEP = Pattern.compile(
            "^(exten\\s*=>\\s*([^,]+),\\s*(\\d+|n)|same\\s*=>\\s*(n))(?:\\(([\\w-]+)\\))?,\\s*(\\w+)\\((.*)\\)$");

    @TempDir
    Path confDir;

    /** One priority of the dialplan: its application and its argument text as written. */
    record Step(String application, String arguments) {}

    record Executed(String extension, String context, int priority, String application, String arguments) {}

    record Case(String name, List<String> lines) {}

    @Test
    void everyStepTheRealAsteriskTookIsTheShippedDialplansStepAtThatPriority() throws IOException {
        Map<String, List<Step>> dialplan = shippedDialplan();
        List<Executed> executed = executedSteps(transcript());

        assertThat(executed).as("dialplan steps in fastagi-failover.txt").hasSizeGreaterThan(40);
        for (Executed step : executed) {
            assertThat(mismatch(dialplan, step)).as("step %s", step).isEmpty();
        }
        assertThat(executed.stream().map(Executed::priority).distinct().count())
                .as("priorities of [vssid-agi] and the menu seen run for real")
                .isGreaterThanOrEqualTo(12);
    }

    @Test
    void aStepThatIsNotTheShippedOneIsReported() throws IOException {
        Map<String, List<Step>> dialplan = shippedDialplan();

        Executed movedAgi = new Executed("s", "vssid-agi", 9, "AGI", "agi://127.0.0.1:4573/vssid-reset?lang=vi");
        Executed otherUrl = new Executed("s", "vssid-agi", 8, "AGI", "http://127.0.0.1:4573/vssid-reset?lang=vi");
        Executed missing = new Executed("s", "vssid-agi", 99, "Return", "");

        assertThat(mismatch(dialplan, movedAgi)).isPresent();
        assertThat(mismatch(dialplan, otherUrl)).isPresent();
        assertThat(mismatch(dialplan, missing)).isPresent();
        assertThat(mismatch(dialplan, new Executed("s", "vssid-agi", 8, "AGI", "agi://10.0.0.5:4573/vssid-reset")))
                .isEmpty();
    }

    @Test
    void inEveryCapturedCaseTheFirstInstanceFailedAndAnotherServedTheCall() throws IOException {
        List<Case> cases = cases(transcript());

        assertThat(cases.stream().map(Case::name))
                .as("cases captured")
                .contains(
                        "list-next-address",
                        "hagi-srv-next-target",
                        "srv-lookup-fails-then-list",
                        "draining-instance",
                        "instance-answers-failure");
        for (Case failover : cases) {
            String text = String.join("\n", failover.lines());
            List<String> agiTargets = executedSteps(failover.lines()).stream()
                    .filter(step -> step.application().equals("AGI"))
                    .map(step -> step.arguments().replaceAll("^(h?agi://[^/]+)/.*$", "$1"))
                    .toList();
            boolean refused = text.contains("failed for url") || text.contains("SRV lookup failed");
            assertThat(refused || agiTargets.size() >= 2)
                    .as("%s: a first try that failed", failover.name())
                    .isTrue();
            String last = failover.lines().get(failover.lines().size() - 1);
            assertThat(last)
                    .as("%s: the call was served to its end", failover.name())
                    .contains("completed");
            String servedBy = last.replaceAll("^.*AGI Script (h?agi://[^/]+)/.*$", "$1");
            assertThat(servedBy)
                    .as("%s: the script that completed is the last one tried", failover.name())
                    .isEqualTo(agiTargets.get(agiTargets.size() - 1));
            if (!servedBy.startsWith("hagi://")) {
                assertThat(agiTargets.get(0))
                        .as("%s: another instance than the first one tried served it", failover.name())
                        .isNotEqualTo(servedBy);
            } else {
                assertThat(text).as("hagi: the first SRV target failed").contains("AGI request failed for host");
            }
            assertThat(text)
                    .as("%s: the caller never heard 'unavailable'", failover.name())
                    .doesNotContain("unavailable");
        }
    }

    @Test
    void theMenuAndTheHangUpHandlerReachIvrAppOnlyThroughTheFailoverSubroutine() throws IOException {
        Map<String, List<Step>> dialplan = shippedDialplan();

        List<String> agiOutside = new ArrayList<>();
        List<String> gosubs = new ArrayList<>();
        dialplan.forEach((where, steps) -> {
            for (Step step : steps) {
                if (step.application().equalsIgnoreCase("AGI") && !where.endsWith("@vssid-agi")) {
                    agiOutside.add(where + ": " + step.arguments());
                }
                if (step.application().equalsIgnoreCase("Gosub")
                        && step.arguments().startsWith("vssid-agi,")) {
                    gosubs.add(step.arguments());
                }
            }
        });
        assertThat(agiOutside).as("AGI() outside [vssid-agi]").isEmpty();
        assertThat(gosubs)
                .as("scripts run through [vssid-agi]")
                .containsExactlyInAnyOrder(
                        "vssid-agi,s,1(vssid-reset?lang=vi&answered=${VSSID_ANSWERED_AT}&trunk=${VSSID_TRUNK})",
                        "vssid-agi,s,1(vssid-reset?lang=en&answered=${VSSID_ANSWERED_AT}&trunk=${VSSID_TRUNK})",
                        "vssid-agi,s,1(vssid-menu-call?lang=${VSSID_LANG}&answered=${VSSID_ANSWERED_AT}"
                                + "&ended=${VSSID_ENDED})",
                        "vssid-agi,s,1(vssid-callback?request=${VSSID_CALLBACK_ID}&lang=${VSSID_LANG})");
        assertThat(dialplan.get("s@vssid-agi").stream()
                        .filter(step -> step.application().equals("AGI"))
                        .map(Step::arguments))
                .as("AGI() of [vssid-agi]: SRV first, then each listed address")
                .containsExactly("hagi://${IVR_AGI_SRV_DOMAIN}/${script}", "agi://${IVR_AGI_${next}}/${script}");
    }

    @Test
    void theStartUpScriptWritesOneGlobalPerInstance() throws Exception {
        ScriptRun run = entrypoint(Map.of(
                "IVR_AGI_ADDRESSES",
                "ivr-app:4573, ivr-app-2:4573,10.0.0.7:4600",
                "IVR_AGI_SRV_DOMAIN",
                "ivr.example"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(globals())
                .containsExactly(
                        "IVR_AGI_SRV_DOMAIN = ivr.example",
                        "IVR_AGI_COUNT = 3",
                        "IVR_AGI_1 = ivr-app:4573",
                        "IVR_AGI_2 = ivr-app-2:4573",
                        "IVR_AGI_3 = 10.0.0.7:4600");
    }

    @Test
    void withoutAListTheSingleHostAndPortAreTheOneInstance() throws Exception {
        ScriptRun run = entrypoint(Map.of("IVR_AGI_HOST", "app.internal", "IVR_AGI_PORT", "4999"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(globals())
                .containsExactly("IVR_AGI_SRV_DOMAIN = ", "IVR_AGI_COUNT = 1", "IVR_AGI_1 = app.internal:4999");
    }

    @Test
    void aBadInstanceAddressStopsTheStartAndNamesTheSetting() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("ivr-app", "has no port");
        bad.put("ivr-app:70000", "is not a port number");
        bad.put("ivr-app:4573,x;Dial(1):4573", "is not a host name");
        bad.put("10.0.0.0/24:4573", "is a network");
        bad.put("a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1", "more than 8 instances");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            ScriptRun run = entrypoint(Map.of("IVR_AGI_ADDRESSES", entry.getKey()));
            assertThat(run.exitCode()).as("exit code for %s", entry.getKey()).isEqualTo(64);
            assertThat(run.output()).contains("IVR_AGI_ADDRESSES").contains(entry.getValue());
        }
        ScriptRun domain = entrypoint(Map.of("IVR_AGI_SRV_DOMAIN", "ivr.example/x"));
        assertThat(domain.exitCode()).isEqualTo(64);
        assertThat(domain.output()).contains("IVR_AGI_SRV_DOMAIN");
    }

    // ------------------------------------------------------------------ helpers

    /** Why an executed step is not the shipped one, or empty when it is. */
    static Optional<String> mismatch(Map<String, List<Step>> dialplan, Executed executed) {
        List<Step> steps = dialplan.get(executed.extension() + "@" + executed.context());
        if (steps == null || executed.priority() > steps.size()) {
            return Optional.of("no priority " + executed.priority() + " in the shipped dialplan");
        }
        Step shipped = steps.get(executed.priority() - 1);
        if (!shipped.application().equalsIgnoreCase(executed.application())) {
            return Optional.of("shipped application is " + shipped.application());
        }
        if (!asPattern(shipped.arguments()).matcher(executed.arguments()).matches()) {
            return Optional.of("arguments do not fit the shipped " + shipped.arguments());
        }
        return Optional.empty();
    }

    /**
     * The arguments as a pattern: literal text stays, each ${...} or $[...] (nested ones included) may be
     * anything Asterisk substituted.
     */
    static Pattern asPattern(String arguments) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < arguments.length()) {
            char c = arguments.charAt(i);
            if (c == '$' && i + 1 < arguments.length() && "{[".indexOf(arguments.charAt(i + 1)) >= 0) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                int depth = 0;
                i++; // past the '$'
                do {
                    char d = arguments.charAt(i);
                    if (d == '{' || d == '[') {
                        depth++;
                    } else if (d == '}' || d == ']') {
                        depth--;
                    }
                    i++;
                } while (depth > 0 && i < arguments.length());
                regex.append(".*?");
            } else {
                literal.append(c);
                i++;
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** "extension@context" to its steps by priority (1 first), from dialplan/extensions.conf. */
    static Map<String, List<Step>> shippedDialplan() throws IOException {
        Map<String, List<Step>> steps = new LinkedHashMap<>();
        String context = null;
        String extension = null;
        for (String raw : Files.readAllLines(ROOT.resolve("dialplan/extensions.conf"), StandardCharsets.UTF_8)) {
            String line = raw.replaceAll("(?<!\\\\);.*$", "").trim();
            if (line.startsWith("[")) {
                context = line.substring(1, line.indexOf(']'));
                continue;
            }
            Matcher step = STEP.matcher(line);
            if (context == null || !step.matches()) {
                continue;
            }
            if (step.group(2) != null) {
                extension = step.group(2).trim();
                assertThat(step.group(3))
                        .as("first priority of %s@%s", extension, context)
                        .isEqualTo("1");
            }
            steps.computeIfAbsent(extension + "@" + context, key -> new ArrayList<>())
                    .add(new Step(step.group(6), step.group(7)));
        }
        return steps;
    }

    static List<Executed> executedSteps(List<String> lines) {
        List<Executed> executed = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = EXECUTING.matcher(line);
            if (matcher.find()) {
                executed.add(new Executed(
                        matcher.group(1),
                        matcher.group(2),
                        Integer.parseInt(matcher.group(3)),
                        matcher.group(4),
                        matcher.group(5)));
            }
        }
        return executed;
    }

    static List<String> transcript() throws IOException {
        Path file = Path.of("src/test/resources/asterisk-22-agi/fastagi-failover.txt");
        if (!Files.exists(file)) {
            file = ROOT.resolve("ivr-app").resolve(file);
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    static List<Case> cases(List<String> transcript) {
        List<Case> cases = new ArrayList<>();
        for (String line : transcript) {
            if (line.startsWith("== ")) {
                cases.add(new Case(line.substring(3).trim(), new ArrayList<>()));
            } else if (!cases.isEmpty() && !line.startsWith("#") && !line.isBlank()) {
                cases.get(cases.size() - 1).lines().add(line);
            }
        }
        return cases;
    }

    record ScriptRun(int exitCode, String output) {}

    private ScriptRun entrypoint(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "dialplan/docker/entrypoint.sh", "true")
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("IVR_") || name.startsWith("SIPP_"));
        builder.environment().put("VSSID_CONF_DIR", confDir.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("entrypoint.sh finished")
                .isTrue();
        return new ScriptRun(process.exitValue(), output);
    }

    private List<String> globals() throws IOException {
        return Files.readAllLines(confDir.resolve("generated/extensions-globals.conf")).stream()
                .filter(line -> !line.startsWith(";"))
                .toList();
    }

    private static Path repositoryRoot() {
        Path workingDirectory = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {workingDirectory, workingDirectory.getParent()}) {
            if (candidate != null && Files.isDirectory(candidate.resolve("dialplan"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("repository root not found from " + workingDirectory);
    }
}
