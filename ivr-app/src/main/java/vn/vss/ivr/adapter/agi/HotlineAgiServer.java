package vn.vss.ivr.adapter.agi;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server (asterisk-java's {@link DefaultAgiServer}) serving the one script
 * {@value #SCRIPT_NAME}. Its socket refuses peers outside the allowlist and bounds what a peer may
 * send; its thread pool is sized for the configured number of concurrent calls.
 */
public final class HotlineAgiServer implements AutoCloseable {
    public static final String SCRIPT_NAME = "vssid-reset";
    private static final int REFUSAL_THREADS = 64;
    private static final Logger log = LoggerFactory.getLogger(HotlineAgiServer.class);

    private final DefaultAgiServer server;
    private final GuardedServerSocket socket;
    private final Thread acceptThread;

    private HotlineAgiServer(DefaultAgiServer server, GuardedServerSocket socket) {
        this.server = server;
        this.socket = socket;
        this.acceptThread = new Thread(this::serve, "fastagi-accept");
    }

    /**
     * Binds the port at once (so a port in use fails start-up here) and starts accepting calls.
     *
     * @param onRefusedPeer told of every connection refused by the allowlist
     */
    public static HotlineAgiServer start(AgiSettings settings, AgiScript script, Consumer<InetAddress> onRefusedPeer)
            throws IOException {
        GuardedServerSocket socket = new GuardedServerSocket(
                settings.bindAddress(),
                settings.port(),
                settings.backlog(),
                settings.allowedPeers(),
                onRefusedPeer,
                Math.toIntExact(settings.environmentTimeout().toMillis()));
        MappingStrategy mapping =
                (request, channel) -> HotlineScripts.serves(request.getScript()) ? script : new UnknownScript();
        DefaultAgiServer server = new DefaultAgiServer(mapping) {
            @Override
            protected ServerSocketFacade createServerSocket() {
                return socket;
            }
        };
        server.setAddress(settings.bindAddress());
        server.setPort(socket.port());
        server.setPoolSize(settings.coreThreads());
        // A few threads beyond the call limit let calls over the limit be refused politely.
        server.setMaximumPoolSize(settings.maxThreads() + REFUSAL_THREADS);
        // asterisk-java passes its read time-out only to a socket it makes itself: set it on ours.
        // toIntExact: a time-out too long for an int fails here rather than wrapping to a negative one.
        socket.setSocketReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
        HotlineAgiServer hotline = new HotlineAgiServer(server, socket);
        hotline.acceptThread.start();
        log.info(
                "FastAGI listening on {}:{} for script '{}', peers allowed: {}, up to {} concurrent calls",
                settings.bindAddress().getHostAddress(),
                socket.port(),
                SCRIPT_NAME,
                settings.allowedPeers(),
                settings.maxThreads());
        return hotline;
    }

    public int port() {
        return socket.port();
    }

    public int activeCalls() {
        return server.getPoolActiveTaskCount();
    }

    private void serve() {
        try {
            server.startup();
        } catch (IOException | IllegalStateException e) {
            log.error("FastAGI server stopped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IllegalStateException e) {
            log.debug("FastAGI server already stopped");
        }
    }
}
