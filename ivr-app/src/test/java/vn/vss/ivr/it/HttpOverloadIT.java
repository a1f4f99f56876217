package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * Hanging HTTP clients, over real sockets, against the hotline's metrics and health server: while
 * hundreds of connections hold half a request, the container's health check and Prometheus still
 * get their answers, and the server closes those connections once the header time-out has passed,
 * well before the idle time-out would.
 */
class HttpOverloadIT {
    private static final int HEADER_TIMEOUT_SECONDS = 2;
    private static final String HALF_A_REQUEST = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    private static TestHotline hotline;

    @BeforeAll
    static void start() {
        hotline = TestHotline.start(
                Map.of("IVR_HTTP_HEADER_TIMEOUT", HEADER_TIMEOUT_SECONDS + "s", "IVR_HTTP_IDLE_TIMEOUT", "60s"));
    }

    @AfterAll
    static void stop() {
        hotline.close();
    }

    @Test
    void given200HalfOpenRequests_thenHealthAndMetricsStillAnswer_andTheHalfOpenOnesAreClosedAfterTheHeaderTimeOut()
            throws Exception {
        List<Socket> halfOpen = new ArrayList<>();
        try {
            long openedAt = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                Socket socket = connect();
                socket.getOutputStream().write(HALF_A_REQUEST.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                halfOpen.add(socket);
            }

            // The promise, with a margin: liveness answers within 1 s while they hang.
            long asked = System.nanoTime();
            String live = get("/health/live", 1_000);
            long tookMillis = (System.nanoTime() - asked) / 1_000_000;
            assertThat(live).startsWith("HTTP/1.1 200").endsWith("live\n");
            assertThat(tookMillis).isLessThan(1_000);
            assertThat(get("/health/ready", 3_000)).startsWith("HTTP/1.1 200").endsWith("ready\n");
            String metrics = get("/metrics", 3_000);
            assertThat(metrics).startsWith("HTTP/1.1 200").contains("ivr_calls_active");
            assertThat(gauge(metrics, "ivr_http_connections")).isGreaterThanOrEqualTo(200);

            // Still within the header time-out, the half-open requests are open and unanswered.
            if ((System.nanoTime() - openedAt) / 1_000_000 < HEADER_TIMEOUT_SECONDS * 1_000 - 200) {
                assertThat(halfOpen.get(halfOpen.size() - 1))
                        .as("a half-open request, before the header time-out")
                        .satisfies(socket -> assertThat(stillOpen(socket)).isTrue());
            }

            // Then each is closed by the server, unanswered, long before the 60-s idle time-out.
            for (Socket socket : halfOpen) {
                socket.setSoTimeout((HEADER_TIMEOUT_SECONDS + 5) * 1_000);
                assertThat(socket.getInputStream().read())
                        .as("the server closes a half-open request")
                        .isEqualTo(-1);
            }
            long closedAfterMillis = (System.nanoTime() - openedAt) / 1_000_000;
            assertThat(closedAfterMillis).isGreaterThanOrEqualTo(HEADER_TIMEOUT_SECONDS * 1_000 - 100);
            assertThat(gauge(get("/metrics", 3_000), "ivr_http_header_timeouts_total"))
                    .isGreaterThanOrEqualTo(200);
        } finally {
            for (Socket socket : halfOpen) {
                socket.close();
            }
        }
    }

    @Test
    void givenAHeaderSentOneByteAtATime_thenTheConnectionIsClosedAtTheHeaderTimeOut_thoughItIsNeverIdle()
            throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] request =
                    "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII);
            long began = System.nanoTime();
            boolean closed = false;
            for (byte b : request) {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                if (!stillOpen(socket)) {
                    closed = true;
                    break;
                }
                Thread.sleep(150);
            }
            long afterMillis = (System.nanoTime() - began) / 1_000_000;
            assertThat(closed).as("closed before the slow header was complete").isTrue();
            assertThat(afterMillis)
                    .isBetween(HEADER_TIMEOUT_SECONDS * 1_000L - 100, HEADER_TIMEOUT_SECONDS * 1_000L + 3_000);
        }
    }

    @Test
    void givenAKeptAliveConnection_thenItServesRequestAfterRequest() throws Exception {
        try (Socket socket = connect()) {
            socket.setSoTimeout(3_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream()
                        .write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                assertThat(readResponse(socket.getInputStream()))
                        .startsWith("HTTP/1.1 200")
                        .endsWith("live\n");
                // waiting between requests is not a slow header: only the idle time-out ends it
                Thread.sleep(HEADER_TIMEOUT_SECONDS * 1_000L + 500);
            }
        }
    }

    private static Socket connect() throws IOException {
        return RawHttp.connect(hotline.hotline().httpPort());
    }

    private static String get(String path, int timeoutMillis) throws IOException {
        return RawHttp.get(hotline.hotline().httpPort(), path, timeoutMillis);
    }

    /** Reads one response with a Content-Length body from a kept-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** True if the server has not closed the connection (nothing to read within 20 ms). */
    private static boolean stillOpen(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(20);
        try {
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            socket.setSoTimeout(timeout);
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
