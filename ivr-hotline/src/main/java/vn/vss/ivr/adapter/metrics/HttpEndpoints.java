package vn.vss.ivr.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The app's small HTTP server (Jetty): Prometheus metrics, liveness, readiness and the supervisor
 * page. Connections that are slow to send their headers, or idle, are closed, and only so many are
 * open at once, so that a few hanging clients cannot keep Prometheus and the container's health
 * check from getting an answer. Waiting connections hold no thread: Jetty reads them as bytes
 * arrive, and a thread is taken only to answer a complete request.
 */
public final class HttpEndpoints implements AutoCloseable {
    /** Threads answering complete requests (a readiness check may wait on the database). */
    private static final int ANSWERING_THREADS = 16;
    /** Connections the socket queues while the server is at its connection limit. */
    private static final int BACKLOG = 128;

    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;

    private HttpEndpoints(Server server, ServerConnector connector, HeaderDeadline headerDeadline) {
        this.server = server;
        this.connector = connector;
        this.headerDeadline = headerDeadline;
    }

    /**
     * @param ready true when the database answers and the FastAGI port listens
     * @param lastHour every instance's last hour, for the supervisor page
     */
    public static HttpEndpoints start(
            InetAddress address,
            int port,
            HttpLimits limits,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            LastHourSection lastHour)
            throws IOException {
        // Jetty's own tasks go through the same queue, so it stays unbounded (Jetty's advice); it holds
        // at most one task per open connection, and connections are bounded.
        QueuedThreadPool threads = new QueuedThreadPool(ANSWERING_THREADS, 2);
        threads.setName("http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(BACKLOG);
        // Scrapes and health checks are small answers that must go out at once, not wait for more.
        connector.setAcceptedTcpNoDelay(true);
        Counter headerTimeouts = Counter.builder("ivr.http.header.timeouts")
                .description("HTTP connections closed because their request headers did not arrive in time")
                .register(registry);
        HeaderDeadline deadline = new HeaderDeadline(limits.headerTimeout(), headerTimeouts::increment);
        connector.addEventListener(deadline);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        Gauge.builder("ivr.http.connections", deadline, HeaderDeadline::openConnections)
                .description("Open connections to the metrics and health HTTP server")
                .register(registry);
        server.setHandler(new Endpoints(
                registry,
                ready,
                () -> SupervisorPage.html(lastHour),
                lastHour::html,
                () -> SupervisorPage.json(registry),
                deadline));
        try {
            server.start();
        } catch (IOException e) {
            deadline.close();
            stopQuietly(server);
            // Jetty wraps a port in use; the caller names the setting for that one
            throw e.getCause() instanceof BindException bind ? bind : e;
        } catch (Exception e) {
            deadline.close();
            stopQuietly(server);
            throw new IOException("the HTTP server did not start: " + e, e);
        }
        return new HttpEndpoints(server, connector, deadline);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The four endpoints; any other path is not found. */
    private static final class Endpoints extends Handler.Abstract {
        private final PrometheusMeterRegistry registry;
        private final BooleanSupplier ready;
        private final Supplier<String> supervisorPage;
        private final Supplier<String> supervisorLastHour;
        private final Supplier<String> supervisorJson;
        private final HeaderDeadline deadline;

        Endpoints(
                PrometheusMeterRegistry registry,
                BooleanSupplier ready,
                Supplier<String> supervisorPage,
                Supplier<String> supervisorLastHour,
                Supplier<String> supervisorJson,
                HeaderDeadline deadline) {
            this.registry = registry;
            this.ready = ready;
            this.supervisorPage = supervisorPage;
            this.supervisorLastHour = supervisorLastHour;
            this.supervisorJson = supervisorJson;
            this.deadline = deadline;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            deadline.requestArrived(request.getConnectionMetaData().getConnection());
            String path = request.getHttpURI().getPath();
            if (path == null) {
                path = "/";
            }
            if (path.startsWith("/metrics")) {
                String accept = request.getHeaders().get(HttpHeader.ACCEPT);
                String contentType = accept != null && accept.contains("application/openmetrics-text")
                        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                        : "text/plain; version=0.0.4; charset=utf-8";
                respond(response, callback, 200, contentType, registry.scrape(contentType));
            } else if (path.startsWith("/health/live")) {
                respond(response, callback, 200, "text/plain", "live\n");
            } else if (path.startsWith("/health/ready")) {
                boolean isReady = ready.getAsBoolean();
                respond(response, callback, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "not ready\n");
            } else if (path.startsWith("/supervisor")) {
                if (path.endsWith("/data")) {
                    respond(response, callback, 200, "application/json", supervisorJson.get());
                } else if (path.endsWith("/last-hour")) {
                    respond(response, callback, 200, "text/html; charset=utf-8", supervisorLastHour.get());
                } else {
                    respond(response, callback, 200, "text/html; charset=utf-8", supervisorPage.get());
                }
            } else {
                respond(response, callback, 404, "text/plain", "not found\n");
            }
            return true;
        }

        private static void respond(Response response, Callback callback, int status, String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // it was not running
        }
    }

    @Override
    public void close() {
        headerDeadline.close();
        stopQuietly(server);
    }
}
