package vn.vss.ivr.adapter.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.support.LogCapture;

/** Refused connections are logged once per peer and interval, with a count, however many there are. */
class RefusalLogTest {
    private final AtomicLong now = new AtomicLong();
    private final RefusalLog refusals = new RefusalLog(now::get, Duration.ofMinutes(1));
    private final LogCapture logs = LogCapture.install();

    @Test
    void givenFiveHundredRefusalsFromOnePeer_thenOneLineAtOnceAndOneSummaryAfterTheInterval() throws Exception {
        InetAddress peer = InetAddress.getByName("198.51.100.7");
        int before = logs.lines().size();

        for (int i = 0; i < 500; i++) {
            refusals.refused(peer);
        }
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        refusals.summariseIfDue();
        refusals.summariseIfDue();

        List<String> lines = refusalLines(before);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("refused a FastAGI connection from 198.51.100.7");
        assertThat(lines.get(1)).contains("refused 499 more FastAGI connection(s) from 198.51.100.7 in the last 61 s");
    }

    @Test
    void givenRefusalsFromMorePeersThanAreNamed_thenTheRestAreSummedInOneLine() throws Exception {
        int before = logs.lines().size();

        for (int i = 0; i < RefusalLog.MOST_PEERS_NAMED + 50; i++) {
            refusals.refused(InetAddress.getByName("10.9." + (i / 250) + "." + (i % 250)));
        }
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        refusals.summariseIfDue();

        List<String> lines = refusalLines(before);
        assertThat(lines).hasSize(RefusalLog.MOST_PEERS_NAMED + 1);
        assertThat(lines.get(lines.size() - 1))
                .contains("refused 50 more FastAGI connection(s) from more than 100 other peers");
    }

    private List<String> refusalLines(int from) {
        List<String> all = logs.lines();
        return all.subList(from, all.size()).stream()
                .filter(line -> line.contains("RefusalLog"))
                .toList();
    }
}
