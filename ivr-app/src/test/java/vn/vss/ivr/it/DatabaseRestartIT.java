package vn.vss.ivr.it;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.TestHotline;

/**
 * PostgreSQL really stops (fast or immediate shutdown) and starts again on the same port and data
 * directory while calls come in, and the running hotline carries on: callers in the gap hear
 * "unavailable" in time, callers after it verify as usual, and every call ends up with one record
 * and its charge lines, once, after the spool is replayed.
 */
class DatabaseRestartIT {

    enum Shutdown {
        /** {@code pg_ctl stop -m fast}: backends told to end, a shutdown checkpoint. */
        FAST,
        /** {@code pg_ctl stop -m immediate}: everything cut at once, crash recovery at the next start. */
        IMMEDIATE
    }

    @ParameterizedTest
    @EnumSource(Shutdown.class)
    void givenPostgresRestartsUnderCalls_thenTheGapHearsUnavailableAndAfterItCallsVerifyWithEveryCallRecordedOnce(
            Shutdown shutdown) throws Exception {
        try (ExternalPostgres postgres =
                new ExternalPostgres(Files.createTempDirectory("ivr-restart-").resolve("pg"))) {
            TestHotline hotline = TestHotline.start(new HashMap<>(postgres.settings()));
            try {
                CallsAcrossAnOutage.Figures figures = CallsAcrossAnOutage.run(
                        hotline,
                        postgres::dsl,
                        () -> {
                            if (shutdown == Shutdown.FAST) {
                                postgres.stop();
                            } else {
                                postgres.stopImmediately();
                            }
                        },
                        postgres::start);
                System.out.printf(
                        "PostgreSQL %s restart, %d calls in the gap: code to 'unavailable' at most %d ms;"
                                + " server up to the hotline's pool answering %d ms%n",
                        shutdown.name().toLowerCase(Locale.ROOT),
                        figures.callsInTheGap(),
                        figures.slowestUnavailableMillis(),
                        figures.backToAnsweringMillis());
            } finally {
                hotline.close();
            }
        }
    }
}
