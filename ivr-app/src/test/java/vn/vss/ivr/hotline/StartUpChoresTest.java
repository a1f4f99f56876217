package vn.vss.ivr.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.LogCapture;

/** The chores the composition root hands to small classes: port errors and the announced price. */
class StartUpChoresTest {
    private final LogCapture logs = LogCapture.install();

    @Test
    void aTakenPortIsReportedInOneLineNamingTheSetting() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() ->
                            Listening.on("IVR_AGI_PORT", loopback, port, () -> new ServerSocket(port, 1, loopback)))
                    .isInstanceOf(PortUnavailableException.class)
                    .hasMessageStartingWith("IVR_AGI_PORT=" + port + ": cannot listen on 127.0.0.1 port " + port + " (")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aFreePortGivesTheServer() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = Listening.on("IVR_HTTP_PORT", loopback, 0, () -> new ServerSocket(0, 1, loopback))) {
            assertThat(server.getLocalPort()).isPositive();
        }
    }

    @Test
    void aPriceOtherThanTheAnnouncedOneIsWarnedAboutNamingTheSetting() {
        int before = logs.lines().size();

        AnnouncedPrice.warnIfBilledDifferently(AnnouncedPrice.PER_MINUTE_VND);
        assertThat(priceLines(before)).isEmpty();

        AnnouncedPrice.warnIfBilledDifferently(1_500);
        assertThat(priceLines(before))
                .singleElement()
                .asString()
                .startsWith("WARN")
                .contains("IVR_PRICE_PER_MINUTE_VND is 1500 but the welcome prompt announces 1000 VND a minute");
    }

    private List<String> priceLines(int before) {
        List<String> lines = logs.lines();
        return lines.subList(before, lines.size()).stream()
                .filter(line -> line.contains("AnnouncedPrice"))
                .toList();
    }
}
