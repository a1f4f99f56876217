package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.CALL;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.support.HeardPasswords;
import vn.vss.ivr.support.TestHotline;
import vn.vss.ivr.support.TestHotline.Subscriber;

/**
 * Fuzzes the AGI input side: hundreds of sessions whose environment and replies are random mixes of
 * valid lines, wrong status codes, garbage, binary, over-long lines, stray HANGUP notices and sudden
 * disconnects. Afterwards the server must be healthy: no call left running, every call record
 * closed, threads back to where they were, and a normal call still works.
 */
class AgiFuzzIT {
    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final List<String> REPLIES = List.of(
            "200 result=0",
            "200 result=1",
            "200 result=-1",
            "200 result=",
            "200 result= (timeout)",
            "200 result=0123456789",
            "200 result=0123456789 (timeout)",
            "200 result=49",
            "200 result=-1 endpos=0",
            "200 result=0 endpos=99999999999999999999",
            "200 result=99999999999999999999",
            "200 result=1 (" + "x".repeat(500) + ")",
            "511 Command Not Permitted on a dead channel or intercept routine",
            "510 Invalid or unknown command",
            "520-Invalid command syntax.  Proper usage follows:",
            "520 End of proper usage.",
            "HANGUP",
            "HANGUP200 result=0",
            "garbage",
            "",
            "200",
            "2000 result=0",
            "200 result=0\r",
            "200 result=\u0000\u0001\u0002");

    @Test
    void givenHundredsOfMalformedSessions_thenTheServerStaysHealthyAndEveryRecordIsClosed() throws Exception {
        // A 3-second read time-out is below what an operator may set.
        TestHotline hotline = TestHotline.start(
                Map.of("IVR_AGI_ENVIRONMENT_TIMEOUT", "1s"), TestHotline.agiReadTimeout(Duration.ofSeconds(3)));
        try {
            Random random = new Random(SEED);
            int threadsBefore = Thread.activeCount();
            for (int session = 0; session < 200; session++) {
                fuzzOneSession(hotline, random);
            }
            for (int i = 0; i < 200 && hotline.hotline().activeCalls() > 0; i++) {
                Thread.sleep(50);
            }
            assertThat(hotline.hotline().activeCalls())
                    .as("calls still running (seed " + SEED + ")")
                    .isZero();
            assertThat(hotline.dsl().fetchCount(CALL, CALL.ENDED_AT.isNull()))
                    .as("open call records")
                    .isZero();
            assertThat(Thread.activeCount()).as("threads").isLessThan(threadsBefore + 40);

            Subscriber subscriber = hotline.freshSubscriber();
            CallTranscript call =
                    hotline.call(CallerScript.from(subscriber.phone()).keys(subscriber.code() + "#"));
            assertThat(call.promptNames()).contains("password-intro");
            HeardPasswords.remember(call.digitsAfter("password-intro", 1));
        } finally {
            hotline.close();
        }
    }

    private static void fuzzOneSession(TestHotline hotline, Random random) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", hotline.hotline().agiPort())) {
            socket.setSoTimeout(500); // a reply the server does not accept leaves both sides waiting: hang up
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(environment(random).getBytes(StandardCharsets.UTF_8));
            out.flush();
            int commands = random.nextInt(40);
            for (int i = 0; i < commands; i++) {
                String command = in.readLine();
                if (command == null) {
                    return;
                }
                if (random.nextInt(30) == 0) {
                    return; // sudden disconnect
                }
                if (command.startsWith("GET FULL VARIABLE ") && random.nextInt(10) != 0) {
                    // Mostly echo the word that confirms the end of the environment, so calls start
                    // and their replies get fuzzed too.
                    out.write(("200 result=1 (" + command.substring("GET FULL VARIABLE ".length()) + ")\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                out.write(reply(random).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException closedByServer) {
            // the server may hang up on a broken peer at any point: that is the point
        }
    }

    private static String environment(Random random) {
        StringBuilder env = new StringBuilder();
        switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> {
                env.append("agi_network: yes\nagi_network_script: vssid-reset?lang=")
                        .append(random.nextBoolean() ? "vi" : "xx");
                env.append("\nagi_uniqueid: ")
                        .append(random.nextBoolean() ? "1795303165." + random.nextInt(99) : "'; drop table call; --");
                env.append("\nagi_callerid: ")
                        .append(List.of("0912345678", "anonymous", "", "+84 91", "0".repeat(400))
                                .get(random.nextInt(5)));
                env.append("\n\n");
            }
            case 5, 6 -> {
                byte[] bytes = new byte[random.nextInt(2_000)];
                random.nextBytes(bytes);
                env.append(new String(bytes, StandardCharsets.ISO_8859_1)).append("\n\n");
            }
            case 7, 8 -> env.append("agi_network_script: vssid-reset\n")
                    .append("agi_x: ")
                    .append("y".repeat(random.nextInt(20_000)))
                    .append("\n\n");
            default -> env.append("agi_network_script: vssid-reset\n"); // never finishes its environment
        }
        return env.toString();
    }

    private static String reply(Random random) {
        String line = REPLIES.get(random.nextInt(REPLIES.size()));
        if (random.nextInt(10) == 0) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            line = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return line + "\n";
    }
}
