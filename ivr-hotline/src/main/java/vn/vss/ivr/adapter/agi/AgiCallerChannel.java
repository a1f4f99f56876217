package vn.vss.ivr.adapter.agi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiNetworkException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.CallerChannel;
import vn.vss.ivr.call.CallerHungUpException;
import vn.vss.ivr.call.KeyEntry;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.call.ServiceUnavailableException;
import vn.vss.ivr.call.SpokenAnswer;

/**
 * The caller's channel over FastAGI. Replies are untrusted: anything but a well-formed {@code 200}
 * reply ends the call, and only digits, {@code *} and {@code #} are accepted as keys.
 *
 * <p>Asterisk reports a hang-up as {@code result=-1} on the running command, and {@code 511} (which
 * asterisk-java raises as {@link AgiHangupException}) on every command after it. A prompt that
 * cannot be played (missing or unplayable file) also ends with {@code result=-1 endpos=0}: then
 * {@code CHANNEL STATUS} tells the two apart.
 */
final class AgiCallerChannel implements CallerChannel {
    private static final Logger log = LoggerFactory.getLogger(AgiCallerChannel.class);
    private static final int SUCCESS = 200;
    private static final String HANGUP_RESULT = "-1";
    private static final Pattern KEYS = Pattern.compile("[0-9*#]{0,32}");
    private static final String ANY_KEY = "0123456789*#";
    /** Longer than any prompt that asks for keys, so that GET DATA is kept wherever it fits. */
    private static final Duration LONGEST_PROMPT = Duration.ofSeconds(30);

    private static final int WAV_HEADER_BYTES = 44;
    /** The least audio worth recognising: 0.1 s at 8 kHz. */
    private static final int MIN_AUDIO_SAMPLES = 800;

    private final AgiChannel channel;
    private final String promptDirectory;
    private final Recordings recordings;
    private final List<Path> recorded = new ArrayList<>();
    private boolean callerGone;
    private boolean recordingsMismatchReported;

    /**
     * Where this call's recordings go: the directory as the app reads it and as Asterisk writes it,
     * and a name made from the validated uniqueid (never from caller input).
     */
    record Recordings(Path localDirectory, String asteriskDirectory, String callName) {}

    /**
     * @param soundsDirectory the prompt audio directory as Asterisk sees it
     */
    AgiCallerChannel(AgiChannel channel, String soundsDirectory, Language language, Recordings recordings) {
        this.channel = channel;
        this.recordings = recordings;
        this.promptDirectory = soundsDirectory + "/" + language.code() + "/";
    }

    @Override
    public void answer() {
        AgiReply reply = send(new AnswerCommand());
        if (HANGUP_RESULT.equals(reply.getResult())) {
            throw callerGone();
        }
    }

    @Override
    public void play(Prompt prompt) {
        playUntilKey(prompt, "");
    }

    @Override
    public Optional<Character> playUntilKey(Prompt prompt, String keys) {
        AgiReply reply = send(new StreamFileCommand(file(prompt), keys));
        String result = reply.getResult();
        if (HANGUP_RESULT.equals(result)) {
            if ("0".equals(reply.getAttribute("endpos")) && channelIsUp()) {
                // The caller is still there: the sound itself could not be played.
                log.error(
                        "prompt file {} could not be played (missing or unplayable where Asterisk looks:"
                                + " IVR_ASTERISK_SOUNDS_DIR); the call ends as service unavailable",
                        nameForLog(prompt));
                throw new ServiceUnavailableException("a prompt could not be played", null);
            }
            // Not heard to the end: the caller must not be taken to have heard it.
            throw callerGone();
        }
        return keyFrom(result, keys);
    }

    /**
     * {@code CHANNEL STATUS}: {@code 200} while the channel exists, {@code 511} once the caller has
     * hung up (raised by {@link #send} as a hang-up).
     */
    private boolean channelIsUp() {
        send(new ChannelStatusCommand());
        return true;
    }

    /** A digit clip's name would tell which digit of a code or password was being read: never logged. */
    private String nameForLog(Prompt prompt) {
        return prompt.key().startsWith("digit-") ? promptDirectory + "digit-<0-9>" : file(prompt);
    }

    /**
     * GET DATA gives each key its own time-out, so a caller pressing a key just before each pause
     * runs out could stretch one entry to {@code maxKeys} pauses. When that could outlast
     * {@code within}, the keys are taken one WAIT FOR DIGIT at a time instead, each no longer than
     * what is left of {@code within}; the caller hears and keys exactly as with GET DATA.
     */
    @Override
    public KeyEntry collectKeysWithin(Prompt prompt, Duration perKeyTimeout, int maxKeys, Duration within) {
        Duration longestGetData = perKeyTimeout.multipliedBy(maxKeys + 1L).plus(LONGEST_PROMPT);
        if (within.compareTo(longestGetData) >= 0) {
            return collectKeys(prompt, perKeyTimeout, maxKeys);
        }
        long end = System.nanoTime() + within.toNanos();
        Optional<Character> key = playUntilKey(prompt, ANY_KEY);
        StringBuilder keys = new StringBuilder();
        while (true) {
            if (key.isEmpty()) {
                long leftMillis = (end - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    return new KeyEntry(keys.toString(), true);
                }
                key = waitForKey(Duration.ofMillis(Math.min(perKeyTimeout.toMillis(), leftMillis)));
                if (key.isEmpty()) {
                    return new KeyEntry(keys.toString(), true);
                }
            }
            char pressed = key.get();
            key = Optional.empty();
            if (pressed == '#') {
                return new KeyEntry(keys.toString(), false);
            }
            keys.append(pressed);
            if (keys.length() >= maxKeys) {
                return new KeyEntry(keys.toString(), false);
            }
        }
    }

    @Override
    public KeyEntry collectKeys(Prompt prompt, Duration perKeyTimeout, int maxKeys) {
        AgiReply reply = send(new GetDataCommand(file(prompt), perKeyTimeout.toMillis(), maxKeys));
        String keys = reply.getResult();
        if (HANGUP_RESULT.equals(keys)) {
            throw callerGone();
        }
        if (!KEYS.matcher(keys).matches()) {
            log.warn("ignoring a malformed key entry from Asterisk ({} characters)", keys.length());
            return new KeyEntry("?", false);
        }
        return new KeyEntry(keys, "timeout".equals(reply.getExtra()));
    }

    /**
     * RECORD FILE ends on silence or time-out (Asterisk cannot tell them apart), on a key, or on a
     * hang-up (which leaves a 44-byte header-only WAV behind). When Asterisk reports audio
     * ({@code endpos}) that the app cannot find, the two recordings settings point at different
     * places: the caller is sent to the keypad instead of being asked again and again.
     */
    @Override
    public SpokenAnswer recordAnswer(Duration maxLength, Duration silence, String keys) {
        String name = recordings.callName() + "-" + (recorded.size() + 1);
        Path file = recordings.localDirectory().resolve(name + ".wav");
        recorded.add(file);
        AgiReply reply = send(new RecordFileCommand(
                recordings.asteriskDirectory() + "/" + name, "wav", keys, (int) maxLength.toMillis(), 0, false, (int)
                        Math.max(1, silence.toSeconds())));
        String result = reply.getResult();
        if (HANGUP_RESULT.equals(result) || "hangup".equals(reply.getExtra())) {
            throw callerGone();
        }
        boolean hasAudio = hasAudio(file);
        // Asterisk kept audio, yet the app's copy is missing or a bare header: it was written elsewhere.
        boolean recordedElsewhere = !hasAudio && samplesRecorded(reply) > MIN_AUDIO_SAMPLES && isHeaderOnly(file);
        if (recordedElsewhere) {
            reportRecordingsMismatch(name);
        }
        boolean spoke = hasAudio || recordedElsewhere;
        if ("dtmf".equals(reply.getExtra())) {
            Optional<Character> key = keyFrom(result, keys);
            if (key.isPresent() && (key.get() != '#' || !spoke)) {
                return new SpokenAnswer.Key(key.get());
            }
        }
        if (recordedElsewhere) {
            return new SpokenAnswer.Unreadable();
        }
        return hasAudio ? new SpokenAnswer.Speech(file) : new SpokenAnswer.Nothing();
    }

    /** The samples Asterisk says it recorded ({@code endpos}); 0 when absent or malformed. */
    private static long samplesRecorded(AgiReply reply) {
        try {
            return Math.max(0, Long.parseLong(reply.getAttribute("endpos")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void reportRecordingsMismatch(String name) {
        if (recordingsMismatchReported) {
            return;
        }
        recordingsMismatchReported = true;
        log.error(
                "Asterisk recorded {} in {} (IVR_ASTERISK_RECORDINGS_DIR) but the app finds no audio in {}"
                        + " (IVR_RECORDINGS_DIR): the two settings must name the same directory. Speech is"
                        + " unusable and Asterisk's recordings there are not deleted by the app.",
                name,
                recordings.asteriskDirectory(),
                recordings.localDirectory().toAbsolutePath());
    }

    @Override
    public void discardRecordings() {
        for (Path file : recorded) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.error("a recording could not be deleted: {}", e.toString());
            }
        }
        recorded.clear();
    }

    /** More than a WAV header: Asterisk recorded some audio. */
    private static boolean hasAudio(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > WAV_HEADER_BYTES + 2 * MIN_AUDIO_SAMPLES;
        } catch (IOException e) {
            return false;
        }
    }

    /** Missing, or a WAV header and nothing else. */
    private static boolean isHeaderOnly(Path file) {
        try {
            return !Files.isRegularFile(file) || Files.size(file) <= WAV_HEADER_BYTES;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public Optional<Character> waitForKey(Duration timeout) {
        AgiReply reply = send(new WaitForDigitCommand(timeout.toMillis()));
        String result = reply.getResult();
        if (HANGUP_RESULT.equals(result)) {
            throw callerGone();
        }
        return keyFrom(result, ANY_KEY);
    }

    @Override
    public void hangUp() {
        if (callerGone) {
            return;
        }
        try {
            send(new HangupCommand());
        } finally {
            callerGone = true;
        }
    }

    private String file(Prompt prompt) {
        return promptDirectory + prompt.key();
    }

    /** Asterisk answers a key as its ASCII code, {@code 0} for none. */
    private static Optional<Character> keyFrom(String result, String acceptedKeys) {
        int code;
        try {
            code = Integer.parseInt(result);
        } catch (NumberFormatException e) {
            throw new AgiProtocolException("a key result that is not a number");
        }
        if (code == 0) {
            return Optional.empty();
        }
        if (code < 0 || code > 127 || acceptedKeys.indexOf((char) code) < 0) {
            log.warn("ignoring an unexpected key code {}", code);
            return Optional.empty();
        }
        return Optional.of((char) code);
    }

    private AgiReply send(AgiCommand command) {
        if (callerGone) {
            throw new CallerHungUpException();
        }
        AgiReply reply;
        try {
            reply = channel.sendCommand(command);
        } catch (AgiHangupException | AgiNetworkException e) {
            throw callerGone();
        } catch (AgiException e) {
            throw new AgiProtocolException(
                    "Asterisk refused a command: " + e.getClass().getSimpleName());
        }
        if (reply == null || reply.getStatus() != SUCCESS) {
            throw new AgiProtocolException("a reply that is not '200 result=...'");
        }
        return reply;
    }

    private CallerHungUpException callerGone() {
        callerGone = true;
        return new CallerHungUpException();
    }
}
