package vn.vss.ivr.call;

/** The instance is stopping and the call could not finish within the drain limit: it ends politely. */
public class ServiceRestartingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServiceRestartingException() {
        super("the service is restarting", null, false, false);
    }
}
