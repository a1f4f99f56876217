package vn.vss.ivr.adapter.agi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI door: accepts connections, refuses peers outside the allowlist, and reads each
 * allowed connection's environment block on one thread (non-blocking), so that a peer that sends
 * half a block holds no call thread. A complete block is checked ({@link AgiEnvironment}) and then
 * confirmed: the gate asks Asterisk to echo a random word ({@code GET FULL VARIABLE}); every line
 * before that echo was written by Asterisk before it read the question, so it belongs to the
 * environment and means the block had ended early. Only then is the connection handed on, with the
 * checked block, for a call thread.
 *
 * <p>At most {@value #MOST_WAITING} connections, {@value #MOST_WAITING_PER_PEER} per peer, may be
 * sending their block at once. A new connection over a limit pushes out the oldest one waiting: a
 * real Asterisk sends its whole block within milliseconds of connecting, so the oldest is a peer
 * that stalls, and calls keep coming in whatever the stalled peers do. A connection given up on
 * (pushed out, too slow, too long) is sent {@code FAILURE}, which makes Asterisk end the AGI with
 * {@code AGISTATUS=FAILURE}: its dialplan then plays "unavailable" instead of leaving silence.
 */
final class EnvironmentGate implements AutoCloseable {
    static final int MOST_WAITING = 1024;
    static final int MOST_WAITING_PER_PEER = 256;
    /** Asterisk's block is about 600 bytes; the same again for lines after an early end. */
    static final int MAX_ENVIRONMENT_BYTES = 16 * 1024;

    static final int MAX_ENVIRONMENT_LINES = 128;
    static final int ACCEPTS_PER_ROUND = 64;
    /** Asterisk's res_agi ends the AGI with AGISTATUS=FAILURE on a line starting with this word. */
    static final byte[] FAILURE = "FAILURE\n".getBytes(StandardCharsets.US_ASCII);

    private static final Logger log = LoggerFactory.getLogger(EnvironmentGate.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SELECT_MILLIS = 500;
    private static final long TROUBLE_LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** A connection whose environment has been read and checked, ready for a call thread. */
    record Arrival(SocketChannel channel, AgiEnvironment environment, byte[] leftover) {}

    private final ServerSocketChannel server;
    private final Selector selector;
    private final PeerAllowlist allowlist;
    private final RefusalLog refusals;
    private final Consumer<InetAddress> onRefused;
    private final long timeoutNanos;
    private final Consumer<Arrival> onArrival;
    private final FrontDoorMetrics metrics;
    private final AtomicInteger waitingNow;
    private final LinkedHashSet<Waiting> waiting = new LinkedHashSet<>();
    private final Map<InetAddress, LinkedHashSet<Waiting>> waitingByPeer = new HashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    private final Map<String, Integer> failuresNotLogged = new TreeMap<>();
    private final Thread thread;
    private long failuresLoggedAt = System.nanoTime() - RefusalLog.INTERVAL.toNanos();
    private long troubleLoggedAt = System.nanoTime() - TROUBLE_LOG_INTERVAL_NANOS;
    private volatile boolean closed;

    EnvironmentGate(
            InetSocketAddress bindAddress,
            int backlog,
            PeerAllowlist allowlist,
            Consumer<InetAddress> onRefused,
            long environmentTimeoutMillis,
            FrontDoorMetrics metrics,
            AtomicInteger waitingNow,
            Consumer<Arrival> onArrival)
            throws IOException {
        this.allowlist = allowlist;
        this.onRefused = onRefused;
        this.timeoutNanos = environmentTimeoutMillis * 1_000_000L;
        this.metrics = metrics;
        this.waitingNow = waitingNow;
        this.onArrival = onArrival;
        this.refusals = new RefusalLog(System::nanoTime, RefusalLog.INTERVAL);
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bindAddress, backlog);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::run, "fastagi-environment");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /**
     * The gate's loop. A failure with one connection closes that connection; a failure to accept
     * (such as running out of file descriptors) is logged, at most every few seconds, and the gate
     * goes on: the FastAGI port must never go deaf while the process lives.
     */
    private void run() {
        while (!closed) {
            try {
                selector.select(SELECT_MILLIS);
            } catch (IOException | ClosedSelectorException e) {
                if (!closed) {
                    log.error("the FastAGI server stopped accepting calls: {}", e.toString());
                }
                return;
            }
            List<Waiting> arrived = new ArrayList<>();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (key.isValid()) {
                    take(key, arrived);
                }
            }
            try {
                handOn(arrived);
            } catch (IOException | RuntimeException e) {
                arrived.forEach(connection -> closeQuietly(connection.channel));
                logTrouble(e);
            }
            giveUpOnLateOnes();
            refusals.summariseIfDue();
            summariseFailuresIfDue();
        }
    }

    private void take(SelectionKey key, List<Waiting> arrived) {
        if (key.isAcceptable()) {
            try {
                acceptSome();
            } catch (IOException | RuntimeException e) {
                logTrouble(e);
            }
            return;
        }
        Waiting connection = (Waiting) key.attachment();
        try {
            if (key.isReadable() && connection.readAvailable()) {
                forget(connection); // no longer waiting: not to be pushed out or timed out
                arrived.add(connection);
            }
        } catch (RuntimeException e) {
            forget(connection);
            key.cancel();
            closeQuietly(connection.channel);
            logTrouble(e);
        }
    }

    private void logTrouble(Exception e) {
        long now = System.nanoTime();
        if (now - troubleLoggedAt >= TROUBLE_LOG_INTERVAL_NANOS) {
            troubleLoggedAt = now;
            log.error("FastAGI connections could not be taken in (the server goes on): {}", e.toString());
        }
    }

    /**
     * Accepts what is waiting, a few at a time: the blocks of those already taken are read and
     * confirmed between rounds, so a burst of real calls does not push its own first arrivals out.
     */
    private void acceptSome() throws IOException {
        SocketChannel channel;
        for (int accepted = 0; accepted < ACCEPTS_PER_ROUND && (channel = server.accept()) != null; accepted++) {
            InetAddress peer = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
            if (!allowlist.allows(peer)) {
                refuse(channel);
                refusals.refused(peer);
                onRefused.accept(peer);
                continue;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                makeRoomFor(peer);
                Waiting connection = new Waiting(channel, peer, System.nanoTime() + timeoutNanos);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                waiting.add(connection);
                waitingByPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(connection);
                waitingNow.set(waiting.size());
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Over a limit (of this peer, then of all), one connection goes: the oldest still sending its
     * block, or, when every one has sent it and awaits only the echo, the oldest of those.
     */
    private void makeRoomFor(InetAddress peer) {
        LinkedHashSet<Waiting> ofPeer = waitingByPeer.get(peer);
        if (ofPeer != null && ofPeer.size() >= MOST_WAITING_PER_PEER) {
            fail(oldestStalling(ofPeer), FrontDoorMetrics.Failure.TOO_MANY_WAITING);
        }
        if (waiting.size() >= MOST_WAITING) {
            fail(oldestStalling(waiting), FrontDoorMetrics.Failure.TOO_MANY_WAITING);
        }
    }

    private static Waiting oldestStalling(LinkedHashSet<Waiting> connections) {
        for (Waiting connection : connections) {
            if (connection.environment == null) {
                return connection;
            }
        }
        return connections.iterator().next();
    }

    /** All connections wait the same time, so the oldest are the first to run out of it. */
    private void giveUpOnLateOnes() {
        long now = System.nanoTime();
        while (!waiting.isEmpty()) {
            Waiting oldest = waiting.iterator().next();
            if (now - oldest.deadline < 0) {
                return;
            }
            fail(oldest, FrontDoorMetrics.Failure.ENVIRONMENT_TIMEOUT);
        }
    }

    /** Takes complete connections off the selector, back to blocking mode, and hands them on. */
    private void handOn(List<Waiting> arrived) throws IOException {
        if (arrived.isEmpty()) {
            return;
        }
        for (Waiting connection : arrived) {
            connection.key.cancel();
        }
        selector.selectNow(); // completes the cancellations, so the channels may block again
        for (Waiting connection : arrived) {
            try {
                connection.channel.configureBlocking(true);
            } catch (IOException e) {
                closeQuietly(connection.channel);
                continue;
            }
            connection.environment.rejection().ifPresent(metrics::rejected);
            onArrival.accept(new Arrival(connection.channel, connection.environment, connection.leftover()));
        }
    }

    private void fail(Waiting connection, FrontDoorMetrics.Failure failure) {
        forget(connection);
        connection.key.cancel();
        failFast(connection.channel);
        metrics.failed(failure);
        failuresNotLogged.merge(failure.label(), 1, Integer::sum);
        summariseFailuresIfDue();
    }

    private void forget(Waiting connection) {
        waiting.remove(connection);
        LinkedHashSet<Waiting> ofPeer = waitingByPeer.get(connection.peer);
        if (ofPeer != null) {
            ofPeer.remove(connection);
            if (ofPeer.isEmpty()) {
                waitingByPeer.remove(connection.peer);
            }
        }
        waitingNow.set(waiting.size());
    }

    /** One log line per interval for connections given up on, however many there were. */
    private void summariseFailuresIfDue() {
        long now = System.nanoTime();
        if (failuresNotLogged.isEmpty() || now - failuresLoggedAt < RefusalLog.INTERVAL.toNanos()) {
            return;
        }
        log.warn(
                "answered FAILURE (Asterisk plays 'unavailable') to FastAGI connections that did not send"
                        + " a complete environment block in time (IVR_AGI_ENVIRONMENT_TIMEOUT) or in size,"
                        + " since the last such line: {}",
                failuresNotLogged);
        failuresNotLogged.clear();
        failuresLoggedAt = now;
    }

    /**
     * Sends {@code FAILURE} and closes, without waiting: the few bytes fit in any socket buffer, and
     * a peer that cannot take them is not a working Asterisk.
     */
    static void failFast(SocketChannel channel) {
        try {
            if (!channel.isBlocking()) {
                channel.write(ByteBuffer.wrap(FAILURE));
            } else {
                channel.socket().getOutputStream().write(FAILURE);
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone already
        }
        closeQuietly(channel);
    }

    private static void refuse(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0); // a reset, nothing sent
        } catch (IOException | RuntimeException ignored) {
            // closed below anyway
        }
        closeQuietly(channel);
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Waiting connection : List.copyOf(waiting)) {
            closeQuietly(connection.channel);
        }
        waiting.clear();
        waitingByPeer.clear();
        refusals.summariseIfDue();
        try {
            server.close();
            selector.close();
        } catch (IOException ignored) {
            // shutting down
        }
    }

    /** One connection still sending its environment block, or the echo that confirms its end. */
    private final class Waiting {
        final SocketChannel channel;
        final InetAddress peer;
        final long deadline;
        final List<String> lines = new ArrayList<>();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
        SelectionKey key;
        AgiEnvironment environment;
        String echo;
        boolean linesAfterEnd;
        int bytesRead;
        boolean confirmed;

        Waiting(SocketChannel channel, InetAddress peer, long deadline) {
            this.channel = channel;
            this.peer = peer;
            this.deadline = deadline;
        }

        /** Reads what has arrived; true once the block is complete and confirmed. */
        boolean readAvailable() {
            int n;
            try {
                readBuffer.clear();
                n = channel.read(readBuffer);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                // The peer went away before its call began: nobody to answer.
                forget(this);
                key.cancel();
                closeQuietly(channel);
                return false;
            }
            bytesRead += n;
            if (bytesRead > MAX_ENVIRONMENT_BYTES) {
                fail(this, FrontDoorMetrics.Failure.ENVIRONMENT_TOO_LONG);
                return false;
            }
            pending.write(readBuffer.array(), 0, n);
            return takeLines();
        }

        private boolean takeLines() {
            byte[] bytes = pending.toByteArray();
            int start = 0;
            for (int i = 0; i < bytes.length && !confirmed; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                if (!take(line)) {
                    return false;
                }
            }
            pending.reset();
            pending.write(bytes, start, bytes.length - start);
            if (!confirmed && pending.size() > BoundedAgiConnection.MAX_LINE_BYTES) {
                fail(this, FrontDoorMetrics.Failure.ENVIRONMENT_TOO_LONG);
                return false;
            }
            return confirmed;
        }

        /** One line; false when the connection has been given up on. */
        private boolean take(String line) {
            if (environment == null) {
                if (!line.isEmpty()) {
                    lines.add(line);
                    if (lines.size() > MAX_ENVIRONMENT_LINES) {
                        fail(this, FrontDoorMetrics.Failure.ENVIRONMENT_TOO_LONG);
                        return false;
                    }
                    return true;
                }
                environment = AgiEnvironment.check(lines);
                return askForEcho();
            }
            if (line.equals("200 result=1 (" + echo + ")")) {
                confirmed = true;
                if (linesAfterEnd) {
                    environment = environment.withLinesAfterEnd();
                }
            } else if (!line.equals("HANGUP")) {
                // A caller who hangs up now makes Asterisk send HANGUP; anything else is environment.
                linesAfterEnd = true;
            }
            return true;
        }

        private boolean askForEcho() {
            echo = randomWord();
            ByteBuffer question =
                    ByteBuffer.wrap(("GET FULL VARIABLE " + echo + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                channel.write(question);
            } catch (IOException e) {
                forget(this);
                key.cancel();
                closeQuietly(channel);
                return false;
            }
            if (question.hasRemaining()) {
                // A fresh socket that cannot take 40 bytes is not a working Asterisk.
                fail(this, FrontDoorMetrics.Failure.ENVIRONMENT_TIMEOUT);
                return false;
            }
            return true;
        }

        /** What arrived after the echo (normally nothing), for the call to read first. */
        byte[] leftover() {
            return pending.toByteArray();
        }
    }

    /** Twenty lower-case letters: no digits, so nothing like a code or password ever appears in it. */
    private static String randomWord() {
        char[] word = new char[20];
        for (int i = 0; i < word.length; i++) {
            word[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return new String(word);
    }
}
