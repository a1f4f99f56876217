package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.support.ExternalPostgres;
import vn.vss.ivr.support.StandbyPostgres;
import vn.vss.ivr.support.TestHotline;

/**
 * The production topology: a primary with a streaming replica, and ivr-app given both hosts with
 * {@code targetServerType=primary}. The primary stops and the replica is promoted, as a failover
 * manager does; the hotline, not restarted, carries on with the new primary, which holds every call
 * record and charge line once.
 */
class DatabaseFailoverIT {

    @Test
    void givenThePrimaryStopsAndItsReplicaIsPromoted_thenTheHotlineGoesOnWithTheNewPrimaryWithoutARestart()
            throws Exception {
        Path directory = Files.createTempDirectory("ivr-failover-");
        try (ExternalPostgres first = new ExternalPostgres(directory.resolve("db1"))) {
            migrate(first);
            try (ExternalPostgres second = StandbyPostgres.of(first, directory.resolve("db2"))) {
                assertThat(StandbyPostgres.isStandby(second)).isTrue();
                String url = "jdbc:postgresql://localhost:" + first.port() + ",localhost:" + second.port()
                        + "/postgres?targetServerType=primary";
                TestHotline hotline =
                        TestHotline.start(Map.of("IVR_DB_URL", url, "IVR_DB_USER", "postgres", "IVR_DB_PASSWORD", ""));
                try {
                    assertThat(serverPort(hotline))
                            .as("the hotline writes to the primary")
                            .isEqualTo(first.port());
                    AtomicReference<ExternalPostgres> primary = new AtomicReference<>(first);
                    long[] promotedIn = new long[1];
                    CallsAcrossAnOutage.Figures figures = CallsAcrossAnOutage.run(
                            hotline,
                            () -> primary.get().dsl(),
                            // A fast shutdown sends the standby all of the log before the primary ends.
                            first::stop,
                            () -> {
                                long started = System.nanoTime();
                                StandbyPostgres.promote(second);
                                promotedIn[0] = (System.nanoTime() - started) / 1_000_000;
                                primary.set(second);
                            });
                    assertThat(serverPort(hotline))
                            .as("the hotline writes to the new primary")
                            .isEqualTo(second.port());
                    System.out.printf(
                            "failover to the promoted replica, %d calls in the gap: code to 'unavailable' at most %d ms;"
                                    + " promotion %d ms, then the hotline's pool answering %d ms%n",
                            figures.callsInTheGap(),
                            figures.slowestUnavailableMillis(),
                            promotedIn[0],
                            figures.backToAnsweringMillis());
                } finally {
                    hotline.close();
                }
            }
        }
    }

    /** The schema on the primary before the replica is copied from it. */
    private static void migrate(ExternalPostgres primary) throws Exception {
        try (Database database =
                Database.start(IvrConfig.from(primary.settings()).database(), new SimpleMeterRegistry())) {
            assertThat(database.answers()).isTrue();
        }
    }

    /** The port of the server behind the hotline's own pool. */
    private static int serverPort(TestHotline hotline) {
        return hotline.dsl().fetchSingle("select inet_server_port()").into(Integer.class);
    }
}
