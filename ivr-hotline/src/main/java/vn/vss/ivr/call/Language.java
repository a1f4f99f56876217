package vn.vss.ivr.call;

import java.util.Locale;
import java.util.Optional;

/** The language a call is held in; the dialplan chooses it with {@code ?lang=vi} or {@code ?lang=en}. */
public enum Language {
    VI("vi"),
    EN("en");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Language> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (Language language : values()) {
            if (language.code.equals(code.toLowerCase(Locale.ROOT))) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }
}
