package vn.vss.ivr.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.command.NoopCommand;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;

/**
 * The baseline: a bare asterisk-java FastAGI server on loopback whose script sends as many commands
 * as a hotline call does ({@code NOOP}s, answered by the simulated Asterisk like any other) and
 * nothing else: what the same dialogue costs without the hotline's logic, database and hashing.
 */
final class BareAgiScript implements AutoCloseable {
    private final DefaultAgiServer server;
    private final int port;

    private BareAgiScript(DefaultAgiServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** A server whose every call is answered by {@code commandsPerCall} commands (the last is the hang-up). */
    static BareAgiScript start(int commandsPerCall, int maxCalls) throws Exception {
        DefaultAgiServer server = new DefaultAgiServer((AgiRequest request, AgiChannel channel) -> {
            for (int i = 0; i < commandsPerCall - 1; i++) {
                channel.sendCommand(new NoopCommand());
            }
        });
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server.setPort(port);
        server.setAddress(InetAddress.getLoopbackAddress());
        server.setMaximumPoolSize(Math.max(100, maxCalls * 2));
        Thread thread = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        thread.setDaemon(true);
        thread.start();
        Thread.sleep(300);
        return new BareAgiScript(server, port);
    }

    /** A simulated Asterisk that calls this server. */
    FakeAsterisk asterisk() {
        return new FakeAsterisk("127.0.0.1", port, FakeAsterisk.sameDirectory(), java.time.Duration.ofSeconds(60));
    }

    /** The caller of every bare call: the script answers whatever is said the same way. */
    static CallerScript caller() {
        return CallerScript.from("0912345678");
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
