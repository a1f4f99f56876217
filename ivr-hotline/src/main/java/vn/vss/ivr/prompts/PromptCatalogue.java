package vn.vss.ivr.prompts;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Prompt;

/** The prompt texts of one language, from {@code prompts/<lang>/prompts.properties} in the jar. */
public record PromptCatalogue(Language language, Map<Prompt, String> texts) {

    public static PromptCatalogue load(Language language) {
        String resource = "prompts/" + language.code() + "/prompts.properties";
        Properties properties = new Properties();
        try (InputStream in = PromptCatalogue.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("prompt catalogue " + resource + " is missing from the build");
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("prompt catalogue " + resource + " cannot be read: " + e.getMessage(), e);
        }
        Map<Prompt, String> texts = new EnumMap<>(Prompt.class);
        for (Prompt prompt : Prompt.values()) {
            if (!prompt.isSpoken()) {
                continue;
            }
            String text = properties.getProperty(prompt.key());
            if (text == null || text.isBlank()) {
                throw new IllegalStateException("prompt '" + prompt.key() + "' has no text in " + resource);
            }
            texts.put(prompt, text.strip());
        }
        return new PromptCatalogue(language, Map.copyOf(texts));
    }

    public String text(Prompt prompt) {
        return texts.get(prompt);
    }
}
