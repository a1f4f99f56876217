package vn.vss.ivr.adapter.vosk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model directory as Vosk should load it with our {@link DecoderSearch}: Vosk reads its decoding
 * settings only from the model's {@code conf/model.conf}, and the model directory itself is not
 * ours to edit (it is unpacked by the build or fetched by a script, and may be read-only). So the
 * model is seen through a temporary directory of links to its files, with its own model.conf. Vosk
 * reads everything while loading, so the overlay is deleted right after.
 */
final class ModelOverlay implements AutoCloseable {
    private static final String CONF = "conf";
    private static final String MODEL_CONF = "model.conf";

    private final Path directory;
    private final boolean temporary;

    private ModelOverlay(Path directory, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
    }

    /** The model as it is when {@code search} changes nothing, else an overlay with its settings. */
    static ModelOverlay of(Path model, DecoderSearch search) {
        Map<String, String> overrides = search.overrides();
        if (overrides.isEmpty()) {
            return new ModelOverlay(model, false);
        }
        Path overlay = null;
        try {
            overlay = Files.createTempDirectory("vosk-model-");
            linkEntries(model.toAbsolutePath(), overlay, CONF);
            Path conf = Files.createDirectory(overlay.resolve(CONF));
            Path modelConf = model.resolve(CONF);
            if (Files.isDirectory(modelConf)) {
                linkEntries(modelConf.toAbsolutePath(), conf, MODEL_CONF);
            }
            Path original = modelConf.resolve(MODEL_CONF);
            List<String> lines =
                    Files.exists(original) ? Files.readAllLines(original, StandardCharsets.UTF_8) : List.of();
            Files.write(conf.resolve(MODEL_CONF), withOverrides(lines, overrides), StandardCharsets.UTF_8);
            return new ModelOverlay(overlay, true);
        } catch (IOException e) {
            if (overlay != null) {
                delete(overlay);
            }
            throw new UncheckedIOException("cannot prepare the speech model at " + model + ": " + e.getMessage(), e);
        }
    }

    /** Kaldi options, one {@code --name=value} per line: ours replace the model's of the same name. */
    static List<String> withOverrides(List<String> lines, Map<String, String> overrides) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            String name = line.strip().split("=", 2)[0];
            if (!overrides.containsKey(name)) {
                result.add(line);
            }
        }
        overrides.forEach((name, value) -> result.add(name + "=" + value));
        return result;
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        if (temporary) {
            delete(directory);
        }
    }

    private static void linkEntries(Path from, Path to, String except) throws IOException {
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals(except)) {
                    Files.createSymbolicLink(to.resolve(entry.getFileName()), entry);
                }
            }
        }
    }

    /** Deletes the links and directories of the overlay, never what they point to. */
    private static void delete(Path overlay) {
        try (Stream<Path> walk = Files.walk(overlay)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the speech model overlay " + overlay, e);
        }
    }
}
