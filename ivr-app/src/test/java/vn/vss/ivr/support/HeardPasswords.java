package vn.vss.ivr.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The passwords simulated callers heard in this JVM, so a test can search for them where they must not be. */
public final class HeardPasswords {
    private static final List<String> PASSWORDS = new CopyOnWriteArrayList<>();

    private HeardPasswords() {}

    public static String remember(String password) {
        if (password.length() >= 6) {
            PASSWORDS.add(password);
        }
        return password;
    }

    public static List<String> all() {
        return List.copyOf(PASSWORDS);
    }
}
