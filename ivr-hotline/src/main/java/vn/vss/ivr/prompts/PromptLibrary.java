package vn.vss.ivr.prompts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.audio.TelephoneAudio;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;
import vn.vss.ivr.call.SpeechSynthesizer;

/**
 * The prompt audio in the sounds directory that Asterisk plays from ({@code <dir>/<lang>/<key>.wav}).
 * Vietnamese audio ships in the jar and is copied; English audio is rendered by the synthesiser, in
 * the background so that it never delays taking calls, and only for texts that changed since the
 * last render. Until a language is ready, its calls are held in Vietnamese.
 */
public final class PromptLibrary {
    private static final Logger log = LoggerFactory.getLogger(PromptLibrary.class);
    /** Silence between groups of digits read out (a code 4-3-3, a password in fours). */
    public static final Duration PAUSE = Duration.ofMillis(400);
    /** Silence between the digits of one group; well under {@link #PAUSE}, so the groups stand out. */
    public static final Duration GAP = Duration.ofMillis(130);
    /** Silence kept around synthesised speech; part of the render cache key, like the voice. */
    private static final Duration KEEP_SILENCE = Duration.ofMillis(60);

    private static final String RENDERING = "trim-60ms";

    private final Path soundsDirectory;
    private final Set<Language> ready = ConcurrentHashMap.newKeySet();

    public PromptLibrary(Path soundsDirectory) {
        this.soundsDirectory = soundsDirectory;
    }

    public Path soundsDirectory() {
        return soundsDirectory;
    }

    public Path file(Language language, Prompt prompt) {
        return soundsDirectory.resolve(language.code()).resolve(prompt.key() + ".wav");
    }

    /** Copies the shipped recordings of a language into the sounds directory. */
    public void installRecorded(Language language) throws IOException {
        PromptCatalogue.load(language);
        writeSilences(language);
        for (Prompt prompt : Prompt.values()) {
            if (!prompt.isSpoken()) {
                continue;
            }
            String resource = "prompts/" + language.code() + "/audio/" + prompt.key() + ".wav";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("recorded prompt " + resource + " is missing from the build");
                }
                byte[] bytes = in.readAllBytes();
                TelephoneAudio.Pcm pcm = TelephoneAudio.read(new java.io.ByteArrayInputStream(bytes));
                if (pcm.sampleRate() != TelephoneAudio.SAMPLE_RATE) {
                    throw new IllegalStateException(
                            resource + " is " + pcm.sampleRate() + " Hz; prompts must be 8000 Hz");
                }
                writeIfChanged(file(language, prompt), bytes);
            }
        }
        ready.add(language);
        log.info("{} prompts installed in {}", language.code(), soundsDirectory);
    }

    /** Renders a language's prompts with the synthesiser, skipping texts rendered before. */
    public void render(Language language, SpeechSynthesizer synthesizer) throws IOException {
        long started = System.nanoTime();
        PromptCatalogue catalogue = PromptCatalogue.load(language);
        writeSilences(language);
        int rendered = 0;
        for (Prompt prompt : catalogue.texts().keySet()) {
            String text = catalogue.text(prompt);
            Path file = file(language, prompt);
            Path stamp = file.resolveSibling("." + prompt.key() + ".source");
            String fingerprint = sha256(synthesizer.voice() + "\n" + RENDERING + "\n" + text);
            if (Files.exists(file)
                    && Files.exists(stamp)
                    && Files.readString(stamp).equals(fingerprint)) {
                continue;
            }
            writeIfChanged(file, TelephoneAudio.wav(asPlayed(synthesizer.speak(text))));
            Files.writeString(stamp, fingerprint);
            rendered++;
        }
        ready.add(language);
        log.info(
                "{} prompts ready ({} rendered by {}) in {} ms",
                language.code(),
                rendered,
                synthesizer.voice(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Synthesised speech as it is stored and played: trimmed of silence but {@link #KEEP_SILENCE}. */
    public static short[] asPlayed(short[] synthesised) {
        return TelephoneAudio.trimSilence(synthesised, KEEP_SILENCE);
    }

    public boolean isReady(Language language) {
        return ready.contains(language);
    }

    /** The language a call can be held in now: the requested one once its audio is ready. */
    public Language playable(Language requested) {
        if (ready.contains(requested)) {
            return requested;
        }
        log.warn("{} prompts are not ready yet; holding the call in Vietnamese", requested.code());
        return Language.VI;
    }

    private void writeSilences(Language language) throws IOException {
        writeIfChanged(file(language, Prompt.PAUSE), TelephoneAudio.wav(TelephoneAudio.silence(PAUSE)));
        writeIfChanged(file(language, Prompt.GAP), TelephoneAudio.wav(TelephoneAudio.silence(GAP)));
    }

    /** Writes through a temporary file and an atomic rename, so Asterisk never plays half a file. */
    private static void writeIfChanged(Path file, byte[] bytes) throws IOException {
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".writing-", ".wav");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
