package vn.vss.ivr.call;

/**
 * Raised once when the instance stops and its drain limit has passed (or the operator asked twice):
 * every call still running ends politely at its next step, with "the service is restarting, please
 * call again", and is closed with its charges.
 */
public final class RestartNotice {
    private volatile boolean announced;

    /** Calls still running end at their next step. */
    public void announce() {
        announced = true;
    }

    public boolean announced() {
        return announced;
    }
}
