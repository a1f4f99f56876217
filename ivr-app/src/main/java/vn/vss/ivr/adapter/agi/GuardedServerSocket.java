package vn.vss.ivr.adapter.agi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI listening socket. It hands asterisk-java only connections from allowed peers; any
 * other connection is closed at once, before a byte is read or written, and reported.
 */
final class GuardedServerSocket implements ServerSocketFacade {
    private static final Logger log = LoggerFactory.getLogger(GuardedServerSocket.class);

    private final ServerSocket serverSocket;
    private final PeerAllowlist allowlist;
    private final Consumer<InetAddress> onRefused;
    private final int environmentTimeoutMillis;
    private volatile int readTimeoutMillis;

    GuardedServerSocket(
            InetAddress bindAddress,
            int port,
            int backlog,
            PeerAllowlist allowlist,
            Consumer<InetAddress> onRefused,
            int environmentTimeoutMillis)
            throws IOException {
        this.environmentTimeoutMillis = environmentTimeoutMillis;
        this.serverSocket = new ServerSocket();
        this.serverSocket.setReuseAddress(true);
        this.serverSocket.bind(new InetSocketAddress(bindAddress, port), backlog);
        this.allowlist = allowlist;
        this.onRefused = onRefused;
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public SocketConnectionFacade accept() throws IOException {
        while (true) {
            Socket socket = serverSocket.accept();
            InetAddress peer = socket.getInetAddress();
            if (allowlist.allows(peer)) {
                socket.setSoTimeout(readTimeoutMillis);
                socket.setTcpNoDelay(true);
                return new BoundedAgiConnection(socket, environmentTimeoutMillis);
            }
            closeQuietly(socket);
            log.warn("refused a FastAGI connection from {}: not in IVR_AGI_ALLOWED_PEERS", peer.getHostAddress());
            onRefused.accept(peer);
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }

    @Override
    public void setSocketReadTimeout(int timeoutMillis) {
        this.readTimeoutMillis = timeoutMillis;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // it is being refused anyway
        }
    }
}
