package vn.vss.ivr.adapter.agi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.asteriskjava.util.SocketConnectionFacade;

/**
 * One FastAGI connection, read line by line with limits: a line longer than {@value #MAX_LINE_BYTES}
 * bytes or an environment block of more than {@value #MAX_ENVIRONMENT_LINES} lines ends the
 * connection, so a broken or hostile peer costs bounded memory. Lines end at {@code \n} only, as
 * Asterisk writes them; a stray {@code \r} stays part of the value, where validation rejects it.
 */
final class BoundedAgiConnection implements SocketConnectionFacade {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BoundedAgiConnection.class);
    static final int MAX_LINE_BYTES = 8192;
    static final int MAX_ENVIRONMENT_LINES = 128;

    private final Socket socket;
    private final long environmentDeadline;
    private final int readTimeoutMillis;
    private final InputStream in;
    private final OutputStream out;
    private boolean inEnvironment = true;
    private int environmentLines;

    /**
     * @param environmentTimeoutMillis the time the peer has to send its whole environment block, so
     *     that a peer trickling bytes (slowloris) cannot hold a thread
     */
    BoundedAgiConnection(Socket socket, int environmentTimeoutMillis) throws IOException {
        this.socket = socket;
        this.readTimeoutMillis = socket.getSoTimeout();
        this.environmentDeadline = System.nanoTime() + environmentTimeoutMillis * 1_000_000L;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    @Override
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = readByte()) != -1) {
            if (b == '\n') {
                return accept(line.toString(StandardCharsets.UTF_8));
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw broken("a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : accept(line.toString(StandardCharsets.UTF_8));
    }

    private int readByte() throws IOException {
        if (inEnvironment) {
            long remainingMillis = (environmentDeadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw broken("no complete environment in time");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
        }
        try {
            return in.read();
        } catch (java.net.SocketTimeoutException e) {
            // A peer that went silent is gone: close at once, so that nothing else waits on it.
            throw broken(inEnvironment ? "no complete environment in time" : "silence longer than the read time-out");
        }
    }

    private String accept(String line) throws IOException {
        if (inEnvironment) {
            if (line.isEmpty()) {
                inEnvironment = false;
                socket.setSoTimeout(readTimeoutMillis);
            } else if (++environmentLines > MAX_ENVIRONMENT_LINES) {
                throw broken("an environment longer than " + MAX_ENVIRONMENT_LINES + " lines");
            }
        }
        return line;
    }

    /** Closes the connection and says why in one log line (a broken peer must not flood the log). */
    private IOException broken(String why) throws IOException {
        log.warn(
                "closing the FastAGI connection from {}: {}",
                socket.getInetAddress().getHostAddress(),
                why);
        socket.close();
        return new IOException(why);
    }

    @Override
    public void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected() && !socket.isClosed();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
