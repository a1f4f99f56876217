package vn.vss.ivr.adapter.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The app's small HTTP server: Prometheus metrics, liveness, readiness and the supervisor page. */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    /**
     * @param ready true when the database answers and the FastAGI port listens
     * @param supervisorPage the HTML of the live supervisor page
     */
    public static HttpEndpoints start(
            InetAddress address,
            int port,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            Supplier<String> supervisorPage,
            Supplier<String> supervisorJson)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains("application/openmetrics-text")
                    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                    : "text/plain; version=0.0.4; charset=utf-8";
            respond(exchange, 200, contentType, registry.scrape(contentType));
        });
        server.createContext("/health/live", exchange -> respond(exchange, 200, "text/plain", "live\n"));
        server.createContext("/health/ready", exchange -> {
            boolean isReady = ready.getAsBoolean();
            respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "not ready\n");
        });
        server.createContext("/supervisor", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/data")) {
                respond(exchange, 200, "application/json", supervisorJson.get());
            } else {
                respond(exchange, 200, "text/html; charset=utf-8", supervisorPage.get());
            }
        });
        server.start();
        return new HttpEndpoints(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
