package vn.vss.ivr.harness;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.adapter.vosk.VoskSpeechRecognizer;
import vn.vss.ivr.config.IvrConfig;
import vn.vss.ivr.harness.simulator.CallTranscript;
import vn.vss.ivr.harness.simulator.CallerScript;
import vn.vss.ivr.harness.simulator.FakeAsterisk;
import vn.vss.ivr.hotline.Hotline;

/**
 * Two hotline instances sharing one PostgreSQL, as two ivr-app hosts behind one Asterisk: the first
 * starts the (embedded) PostgreSQL, the second reaches it by {@code IVR_DB_URL} like any external
 * server. Each has its own FastAGI port, instance name, spool and sound directory. Calls are spread
 * over the two FastAGI servers in turn, as Asterisk's failover list or SRV records spread them; the
 * one-instance baseline sends every call to the first, on the same database.
 *
 * <p>Both instances run in this JVM, on this machine's cores: the ratio shows what a second FastAGI
 * server on the shared database gains or costs, not a second machine's capacity.
 */
final class SharedDatabaseInstances implements AutoCloseable {
    private final Path directory;
    private final Path postgresDirectory;
    private final Hotline first;
    private final Hotline second;
    private final FakeAsterisk toFirst;
    private final FakeAsterisk toSecond;

    private SharedDatabaseInstances(Path directory, Path postgresDirectory, Hotline first, Hotline second) {
        this.directory = directory;
        this.postgresDirectory = postgresDirectory;
        this.first = first;
        this.second = second;
        this.toFirst = asterisk(first);
        this.toSecond = asterisk(second);
    }

    /**
     * Starts both; {@code overrides} are settings of the benchmark (call pool size, limits) given to
     * both instances.
     */
    static SharedDatabaseInstances start(Map<String, String> overrides) throws Exception {
        Path directory = Files.createTempDirectory("ivr-two-instances-");
        Path postgres = directory.resolve("postgres");
        int postgresPort = freePort();
        Map<String, String> firstEnv = environment(directory.resolve("a"), "bench-a", overrides);
        firstEnv.put("IVR_EMBEDDED_DB_DIR", postgres.toString());
        firstEnv.put("IVR_EMBEDDED_DB_PORT", Integer.toString(postgresPort));
        firstEnv.remove("IVR_DB_URL");
        Hotline first = Hotline.start(IvrConfig.from(firstEnv));
        Hotline second;
        try {
            Map<String, String> secondEnv = environment(directory.resolve("b"), "bench-b", overrides);
            secondEnv.put("IVR_DB_URL", "jdbc:postgresql://localhost:" + postgresPort + "/postgres");
            secondEnv.put("IVR_DB_USER", "postgres");
            secondEnv.put("IVR_DB_PASSWORD", "");
            second = Hotline.start(IvrConfig.from(secondEnv));
        } catch (Exception | Error e) {
            first.close();
            throw e;
        }
        SharedDatabaseInstances instances = new SharedDatabaseInstances(directory, postgres, first, second);
        instances.awaitSpeechModels();
        return instances;
    }

    private static Map<String, String> environment(Path dir, String instanceId, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_ENGLISH_VOICE", "false");
        env.put("IVR_INSTANCE_ID", instanceId);
        // Half the calls of a keypad run are wrong numbers, hundreds a minute: not the guessing run
        // that the hotline-wide ceiling is there to slow, and refusals would skip the work measured.
        env.putIfAbsent("IVR_MAX_FAILURES_PER_MINUTE", "1000000");
        env.put("IVR_SOUNDS_DIR", dir.resolve("sounds").toString());
        env.put("IVR_RECORDINGS_DIR", dir.resolve("recordings").toString());
        env.put("IVR_SPOOL_FILE", dir.resolve("spool.log").toString());
        env.putAll(overrides);
        return env;
    }

    /** Models load in the background; their loading would count as CPU of the calls measured. */
    private void awaitSpeechModels() throws InterruptedException {
        for (Hotline hotline : new Hotline[] {first, second}) {
            if (hotline.recognizer() instanceof VoskSpeechRecognizer vosk) {
                vosk.awaitModels(Duration.ofMinutes(3));
            }
        }
    }

    Hotline first() {
        return first;
    }

    /** The shared PostgreSQL's data directory, whose CPU a phase counts. */
    Optional<Path> postgres() {
        return Optional.of(postgresDirectory);
    }

    /** A call to the first instance alone: the baseline. */
    CallTranscript callFirst(CallerScript script) throws IOException {
        return toFirst.call(script);
    }

    /** Call {@code i} on the instances in turn: even calls to the first, odd ones to the second. */
    CallTranscript callInTurn(int i, CallerScript script) throws IOException {
        return (i % 2 == 0 ? toFirst : toSecond).call(script);
    }

    /** The same, with prompts, key presses and time-outs taking {@code scale} of their length in real time. */
    CallTranscript callInTurn(int i, CallerScript script, double scale) throws IOException {
        return (i % 2 == 0 ? toFirst : toSecond).inRealTime(scale).call(script);
    }

    /** A call to the first instance alone, in real time scaled by {@code scale}. */
    CallTranscript callFirst(CallerScript script, double scale) throws IOException {
        return toFirst.inRealTime(scale).call(script);
    }

    /** Registers {@code code,phone} lines in the shared database. */
    void register(CharSequence csv) throws IOException {
        SubscriberCsvImport.Result result =
                new SubscriberCsvImport(first.database().dsl()).importFrom(new StringReader(csv.toString()));
        if (!result.succeeded()) {
            throw new IllegalStateException("the benchmark's subscribers were refused: " + result.problems());
        }
    }

    /**
     * The calls the shared database holds, by instance and outcome ({@code bench-a: 3 password_heard,
     * 2 not_verified; bench-b: ...}), once the last records are closed (just after each hang-up).
     */
    String recordedCalls() throws InterruptedException, SQLException {
        try (Connection connection = first.database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < 100 && stillOpen(statement); i++) {
                Thread.sleep(100);
            }
            Map<String, StringBuilder> byInstance = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery("select instance_id, coalesce(outcome, 'open'), count(*)"
                    + " from call group by 1, 2 order by 1, 2")) {
                while (rows.next()) {
                    StringBuilder line = byInstance.computeIfAbsent(rows.getString(1), k -> new StringBuilder());
                    line.append(line.isEmpty() ? "" : ", ")
                            .append(rows.getInt(3))
                            .append(' ')
                            .append(rows.getString(2));
                }
            }
            StringBuilder all = new StringBuilder();
            byInstance.forEach((instance, line) -> all.append(all.isEmpty() ? "" : "; ")
                    .append(instance)
                    .append(": ")
                    .append(line));
            return all.toString();
        }
    }

    private static boolean stillOpen(Statement statement) throws SQLException {
        try (ResultSet open = statement.executeQuery("select count(*) from call where ended_at is null")) {
            return open.next() && open.getInt(1) > 0;
        }
    }

    private static FakeAsterisk asterisk(Hotline hotline) {
        return new FakeAsterisk("127.0.0.1", hotline.agiPort(), FakeAsterisk.sameDirectory(), Duration.ofMinutes(5));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        second.close(); // the first holds the database
        first.close();
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
