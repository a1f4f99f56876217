package vn.vss.ivr.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP spoken by hand over a plain socket, so that tests control every byte and every wait. */
public final class RawHttp {
    private RawHttp() {}

    /** A new connection to the hotline's HTTP port on loopback, without Nagle's delay. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** One request on a fresh connection; the whole response as text. */
    public static String get(int port, String path, int timeoutMillis) throws IOException {
        try (Socket socket = connect(port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
