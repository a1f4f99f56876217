package vn.vss.ivr.harness.simulator;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the simulated caller experienced: every command the app sent (as sent), the prompts heard
 * in order with their durations from the audio files, and the billed time from answer to hang-up.
 * {@code appStepNanos} holds, per command after the first, how long the app took between receiving
 * a reply and sending its next command.
 */
public record CallTranscript(
        List<String> commands,
        List<Heard> heard,
        boolean answered,
        HungUpBy hungUpBy,
        Duration billedTime,
        List<String> protocolNotes,
        List<Long> appStepNanos) {

    /** The note of a session the app ended with {@code FAILURE}: Asterisk's dialplan plays "unavailable". */
    public static final String AGI_FAILURE =
            "the app answered FAILURE: AGISTATUS=FAILURE, the dialplan plays 'unavailable'";

    /** True when the app ended the session with {@code FAILURE}, so the caller heard the dialplan's "unavailable". */
    public boolean endedWithAgiFailure() {
        return protocolNotes.contains(AGI_FAILURE);
    }

    /** A prompt as the caller heard it. {@code file} is the prompt's name without directory. */
    public record Heard(String file, String language, Duration duration, boolean complete, boolean missing) {}

    public enum HungUpBy {
        CALLER,
        APP,
        NOBODY
    }

    /** The prompt names heard, in order, e.g. {@code [welcome, ask-code, please-wait, ...]}. */
    public List<String> promptNames() {
        return heard.stream().map(Heard::file).toList();
    }

    /** The digits read out between two prompts, e.g. the password after "password-intro". */
    public String digitsAfter(String prompt, int occurrence) {
        int seen = 0;
        StringBuilder digits = new StringBuilder();
        boolean reading = false;
        for (Heard h : heard) {
            if (reading) {
                if (h.file().startsWith("digit-")) {
                    digits.append(h.file().charAt(6));
                    continue;
                }
                if (h.file().equals("pause") || h.file().equals("gap")) {
                    continue;
                }
                return digits.toString();
            }
            if (h.file().equals(prompt) && ++seen == occurrence) {
                reading = true;
            }
        }
        return digits.toString();
    }

    /** A readable dialogue; digit clips are masked unless {@code showDigits}. */
    public String dialogue(boolean showDigits) {
        StringBuilder out = new StringBuilder();
        for (Heard h : heard) {
            String name = h.file().startsWith("digit-") && !showDigits ? "digit-*" : h.file();
            if (name.equals("gap")) {
                continue;
            }
            out.append(String.format(
                    "  assistant: %-18s %5.1f s%s%n",
                    name,
                    h.duration().toMillis() / 1000.0,
                    h.missing() ? "  (MISSING FILE)" : h.complete() ? "" : "  (interrupted)"));
        }
        out.append(String.format(
                "  billed time %.1f s (%d minute%s), hung up by %s%n",
                billedTime.toMillis() / 1000.0,
                billedMinutes(),
                billedMinutes() == 1 ? "" : "s",
                hungUpBy.name().toLowerCase(java.util.Locale.ROOT)));
        if (!protocolNotes.isEmpty()) {
            out.append(protocolNotes.stream().map(n -> "  note: " + n).collect(Collectors.joining("\n")))
                    .append('\n');
        }
        return out.toString();
    }

    /** Whole minutes rounded up, at least 1 once answered, as the hotline bills them. */
    public int billedMinutes() {
        if (!answered) {
            return 0;
        }
        return (int) Math.max(1, (billedTime.toMillis() + 59_999) / 60_000);
    }
}
