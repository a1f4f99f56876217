package vn.vss.ivr.adapter.agi;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.asteriskjava.fastagi.AgiChannelFactory;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.fastagi.internal.DefaultAgiChannelFactory;
import org.asteriskjava.fastagi.internal.FastAgiConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server for the script {@value #SCRIPT_NAME} (branches 8 and 9) and {@value
 * MenuCallScript#SCRIPT_NAME} (the hang-up handler of a call that ended before reaching the
 * application; any other name is answered by {@link UnknownScript}). Its {@link EnvironmentGate} refuses
 * peers outside the allowlist and reads every environment block before a call thread is taken; each
 * complete connection then runs as one asterisk-java session on the call pool.
 *
 * <p>What a caller hears when the hotline is full: up to {@code IVR_AGI_MAX_CALLS} calls are served;
 * the next {@value #REFUSAL_THREADS} at once hear the app's short "unavailable" prompt; beyond even
 * those, Asterisk is answered {@code FAILURE} at once, and its dialplan plays "unavailable". No call
 * is closed in silence.
 */
public final class HotlineAgiServer implements AutoCloseable {
    public static final String SCRIPT_NAME = "vssid-reset";
    /** Threads beyond the call limit, so that calls over it are refused with a prompt. */
    static final int REFUSAL_THREADS = 64;

    private static final Logger log = LoggerFactory.getLogger(HotlineAgiServer.class);
    private static final long FULL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final VssidResetScript script;
    private final MenuCallScript menuCall;
    private final FrontDoorMetrics metrics;
    private final int readTimeoutMillis;
    private final ThreadPoolExecutor calls;
    private final AgiChannelFactory channels = new DefaultAgiChannelFactory();
    private final AtomicLong fullLoggedAt = new AtomicLong(System.nanoTime() - FULL_LOG_INTERVAL_NANOS);
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private EnvironmentGate gate;
    private int port;

    private HotlineAgiServer(
            AgiSettings settings, VssidResetScript script, MenuCallScript menuCall, FrontDoorMetrics metrics) {
        this.script = script;
        this.menuCall = menuCall;
        this.metrics = metrics;
        // toIntExact: a time-out too long for an int fails here rather than wrapping to a negative one.
        this.readTimeoutMillis = Math.toIntExact(settings.readTimeout().toMillis());
        AtomicInteger threadNumber = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(
                settings.coreThreads(),
                settings.maxThreads() + REFUSAL_THREADS,
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "fastagi-call-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Binds the port at once (so a port in use fails start-up here) and starts accepting calls.
     *
     * @param onRefusedPeer told of every connection refused by the allowlist
     */
    public static HotlineAgiServer start(
            AgiSettings settings,
            VssidResetScript script,
            MenuCallScript menuCall,
            Consumer<InetAddress> onRefusedPeer,
            MeterRegistry registry)
            throws IOException {
        AtomicInteger waiting = new AtomicInteger();
        HotlineAgiServer server =
                new HotlineAgiServer(settings, script, menuCall, new FrontDoorMetrics(registry, waiting::get));
        server.gate = new EnvironmentGate(
                new InetSocketAddress(settings.bindAddress(), settings.port()),
                settings.backlog(),
                settings.allowedPeers(),
                onRefusedPeer,
                settings.environmentTimeout().toMillis(),
                server.metrics,
                waiting,
                server::serve);
        server.port = server.gate.port();
        server.gate.start();
        log.info(
                "FastAGI listening on {}:{} for script '{}', peers allowed: {}, up to {} concurrent calls",
                settings.bindAddress().getHostAddress(),
                server.port(),
                SCRIPT_NAME,
                settings.allowedPeers(),
                settings.maxThreads());
        return server;
    }

    /** The port listened on (still named after {@link #stopAccepting()}). */
    public int port() {
        return port;
    }

    public int activeCalls() {
        return calls.getActiveCount();
    }

    /** Runs one connection whose environment has been read, on a call thread if one is free. */
    private void serve(EnvironmentGate.Arrival arrival) {
        BoundedAgiConnection connection;
        try {
            connection = new BoundedAgiConnection(
                    arrival.channel(), arrival.environment().linesToHandOn(), arrival.leftover(), readTimeoutMillis);
        } catch (IOException e) {
            EnvironmentGate.closeQuietly(arrival.channel());
            return;
        }
        AgiEnvironment environment = arrival.environment();
        AgiScript hotline = (request, channel) -> script.serve(request, channel, environment);
        MappingStrategy mapping = (request, channel) -> {
            String name = request.getScript();
            if (SCRIPT_NAME.equals(name)) {
                return hotline;
            }
            if (VssidResetScript.CALL_BACK_SCRIPT.equals(name)) {
                return script::serveCallBackLeg;
            }
            return MenuCallScript.SCRIPT_NAME.equals(name) ? menuCall : new UnknownScript();
        };
        try {
            calls.execute(new FastAgiConnectionHandler(mapping, connection, channels));
        } catch (RejectedExecutionException e) {
            metrics.failed(FrontDoorMetrics.Failure.NO_CALL_THREAD);
            EnvironmentGate.failFast(arrival.channel());
            logFullAtMostEveryFewSeconds();
        }
    }

    private void logFullAtMostEveryFewSeconds() {
        long now = System.nanoTime();
        long last = fullLoggedAt.get();
        if (now - last >= FULL_LOG_INTERVAL_NANOS && fullLoggedAt.compareAndSet(last, now)) {
            log.warn("every call thread is busy, refusals included: Asterisk is answered FAILURE and plays"
                    + " 'unavailable' (ivr_agi_connections_failed_total{reason=\"no_call_thread\"})");
        }
    }

    /**
     * Closes the listening socket, so that a new FastAGI connection is refused by the system (Asterisk
     * then tries the next instance or plays "unavailable"); calls in progress run on.
     */
    public void stopAccepting() {
        if (accepting.compareAndSet(true, false) && gate != null) {
            gate.close();
        }
        calls.shutdown();
    }

    /** Waits up to {@code limit} for the calls in progress to end; true when none is left. */
    public boolean awaitCalls(Duration limit) {
        try {
            return calls.awaitTermination(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return calls.isTerminated();
        }
    }

    @Override
    public void close() {
        // Calls in progress run to their end, as before; the sockets are channels, and interrupting
        // a call thread would close its connection mid-sentence.
        stopAccepting();
    }
}
