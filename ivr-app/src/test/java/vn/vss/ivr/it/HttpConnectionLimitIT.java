package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.RawHttp;
import vn.vss.ivr.support.TestHotline;

/**
 * The metrics and health server keeps at most IVR_HTTP_MAX_CONNECTIONS open, over real sockets:
 * more clients wait in the socket's backlog, and are served once the header time-out has closed
 * the hanging ones.
 */
class HttpConnectionLimitIT {
    private static final int MAX_CONNECTIONS = 16;
    private static TestHotline hotline;

    @BeforeAll
    static void start() {
        hotline = TestHotline.start(Map.of(
                "IVR_HTTP_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS),
                "IVR_HTTP_HEADER_TIMEOUT", "2s",
                "IVR_HTTP_IDLE_TIMEOUT", "60s"));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void givenMoreHangingClientsThanTheLimit_thenNoMoreAreOpenAtOnce_andAWaitingScrapeIsServedAfterwards()
            throws Exception {
        List<Socket> hanging = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * MAX_CONNECTIONS; i++) {
                Socket socket = connect();
                socket.getOutputStream()
                        .write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                hanging.add(socket);
            }
            String metrics = get("/metrics", 15_000);

            assertThat(metrics).startsWith("HTTP/1.1 200");
            assertThat(gauge(metrics, "ivr_http_connections"))
                    .as("open connections while the scrape was answered")
                    .isLessThanOrEqualTo(MAX_CONNECTIONS);
            assertThat(gauge(metrics, "ivr_http_header_timeouts_total"))
                    .as("the scrape got its turn once hanging connections were closed")
                    .isGreaterThanOrEqualTo(MAX_CONNECTIONS - 1);
        } finally {
            for (Socket socket : hanging) {
                socket.close();
            }
        }
    }

    @Test
    void givenTheImagesHealthCheck_thenAnHttp10RequestIsAnsweredWith200() throws Exception {
        // ivr-app/Dockerfile's health check speaks HTTP/1.0 from bash and reads the status line.
        String response = get10("/health/live");

        assertThat(response).matches("(?s)HTTP/1\\.. 200.*live\n");
    }

    private static Socket connect() throws IOException {
        return RawHttp.connect(hotline.hotline().httpPort());
    }

    private static String get(String path, int timeoutMillis) throws IOException {
        return RawHttp.get(hotline.hotline().httpPort(), path, timeoutMillis);
    }

    private static String get10(String path) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double gauge(String metrics, String name) {
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no series " + name);
    }
}
