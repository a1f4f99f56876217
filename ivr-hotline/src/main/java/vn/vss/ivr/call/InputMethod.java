package vn.vss.ivr.call;

import java.util.Locale;

/** How the caller gave the code. */
public enum InputMethod {
    KEYPAD,
    SPEECH,
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
