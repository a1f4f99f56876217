package vn.vss.ivr.hotline;

import java.io.IOException;

/** A port taken by another process or not allowed; the message names the setting, in one line. */
public final class PortUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    PortUnavailableException(String message) {
        super(message);
    }
}
