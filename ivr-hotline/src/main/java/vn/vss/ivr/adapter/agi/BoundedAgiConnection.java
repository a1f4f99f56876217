package vn.vss.ivr.adapter.agi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI connection whose environment block the {@link EnvironmentGate} has already read and
 * checked: asterisk-java reads that checked block first (one line per key, its first value), then
 * Asterisk's replies, line by line with limits. A reply longer than {@value #MAX_LINE_BYTES} bytes
 * or a silence longer than the read time-out ends the connection, so a broken or hostile peer costs
 * bounded memory and time. Lines end at {@code \n} only, as Asterisk writes them.
 */
final class BoundedAgiConnection implements SocketConnectionFacade {
    private static final Logger log = LoggerFactory.getLogger(BoundedAgiConnection.class);
    static final int MAX_LINE_BYTES = 8192;

    private final Socket socket;
    private final Deque<String> environment;
    private final InputStream in;
    private final OutputStream out;

    /**
     * @param environmentLines the checked block, without its closing blank line
     * @param leftover bytes the gate read after the block (normally none), to be read first
     */
    BoundedAgiConnection(SocketChannel channel, List<String> environmentLines, byte[] leftover, int readTimeoutMillis)
            throws IOException {
        this.socket = channel.socket();
        socket.setSoTimeout(readTimeoutMillis);
        this.environment = new ArrayDeque<>(environmentLines);
        this.environment.add("");
        this.in = new BufferedInputStream(
                new SequenceInputStream(new ByteArrayInputStream(leftover), socket.getInputStream()));
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    @Override
    public String readLine() throws IOException {
        if (!environment.isEmpty()) {
            return environment.poll();
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = readByte()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw broken("a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private int readByte() throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            // A peer that went silent is gone: close at once, so that nothing else waits on it.
            throw broken("silence longer than the read time-out");
        }
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
