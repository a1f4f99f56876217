package vn.vss.ivr.hotline;

import java.io.IOException;

/**
 * Another running process holds the lease of this {@code IVR_INSTANCE_ID}: two processes with one
 * id would close each other's calls. The message names the setting, in one line.
 */
public final class InstanceIdInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InstanceIdInUseException(String message) {
        super(message);
    }
}
