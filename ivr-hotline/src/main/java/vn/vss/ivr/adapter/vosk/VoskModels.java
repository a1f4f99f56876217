package vn.vss.ivr.adapter.vosk;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import vn.vss.ivr.call.Language;

/**
 * One shared Vosk model per language, loaded once on a background thread so that start-up does not
 * wait for it. A language without a model directory takes the keypad only; that is said once, at
 * start-up.
 */
final class VoskModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoskModels.class);

    private final Map<Language, CompletableFuture<Model>> models = new EnumMap<>(Language.class);
    private volatile boolean closed;

    private VoskModels() {}

    static VoskModels load(Map<Language, Path> directories, DecoderSearch search) {
        // JNA hands strings to Vosk in the platform encoding, which in a container may be ASCII: the
        // Vietnamese digit words of the grammar would not reach the model intact.
        if (System.getProperty("jna.encoding") == null) {
            System.setProperty("jna.encoding", "UTF-8");
        }
        ExecutorService loader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vosk-model-loader");
            thread.setDaemon(true);
            return thread;
        });
        VoskModels models = new VoskModels();
        for (Language language : Language.values()) {
            Path directory = directories.get(language);
            if (directory == null) {
                log.warn("no speech model configured for {}: {} callers use the keypad only", language, language);
            } else if (!Files.isDirectory(directory)) {
                log.warn(
                        "speech model for {} not found at {}: {} callers use the keypad only",
                        language,
                        directory,
                        language);
            } else {
                models.models.put(
                        language,
                        CompletableFuture.supplyAsync(() -> models.loadOne(language, directory, search), loader));
            }
        }
        loader.shutdown();
        return models;
    }

    private Model loadOne(Language language, Path directory, DecoderSearch search) {
        long began = System.nanoTime();
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
            if (!"UTF-8".equalsIgnoreCase(Native.getDefaultStringEncoding())) {
                log.warn(
                        "JNA encodes strings as {}, not UTF-8: Vietnamese digit words may not reach Vosk;"
                                + " start Java with -Djna.encoding=UTF-8",
                        Native.getDefaultStringEncoding());
            }
            Model model;
            try (ModelOverlay overlay = ModelOverlay.of(directory, search)) {
                model = new Model(overlay.directory().toString());
            }
            if (closed) {
                model.close();
                throw new IllegalStateException("closed while loading");
            }
            log.info(
                    "speech model for {} loaded from {} in {} ms (decoder settings {})",
                    language,
                    directory,
                    (System.nanoTime() - began) / 1_000_000,
                    search.overrides().isEmpty() ? "as shipped" : search.overrides());
            return model;
        } catch (Exception | LinkageError e) {
            if (!closed) {
                log.error(
                        "speech model for {} at {} cannot be loaded ({}): {} callers use the keypad only",
                        language,
                        directory,
                        e.toString(),
                        language);
            }
            throw new IllegalStateException(e);
        }
    }

    boolean ready(Language language) {
        return model(language).isPresent();
    }

    Optional<Model> model(Language language) {
        CompletableFuture<Model> model = models.get(language);
        if (closed || model == null || !model.isDone() || model.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return Optional.of(model.join());
    }

    /** Waits until every model found at start has loaded or failed; true if none failed in time. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            CompletableFuture.allOf(models.values().toArray(CompletableFuture[]::new))
                    .get(timeout, unit);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<Model> model : models.values()) {
            // A model still loading is freed by its loader, which sees the flag when it is done.
            model.thenAccept(Model::close);
        }
    }
}
