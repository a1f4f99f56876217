package vn.vss.ivr.hotline;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;

/** Starts a server on a port; a port that cannot be bound is reported with the setting that chose it. */
final class Listening {
    private Listening() {}

    /** A server that binds its port when started. */
    interface Server<T> {
        T start() throws IOException;
    }

    static <T> T on(String variable, InetAddress address, int port, Server<T> server) throws IOException {
        try {
            return server.start();
        } catch (BindException e) {
            throw new PortUnavailableException(variable + "=" + port + ": cannot listen on " + address.getHostAddress()
                    + " port " + port + " (" + e.getMessage() + ")");
        }
    }
}
