package vn.vss.ivr.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the CPU of a benchmark phase went. The simulated callers run in the same JVM as the
 * hotline, so the JVM's process CPU time ({@code OperatingSystemMXBean#getProcessCpuTime}, taken
 * before and after the phase) is split: the callers' own CPU (each caller thread's CPU time,
 * {@code ThreadMXBean}, around its call) is taken out, Argon2id is the CPU of the hotline's
 * {@code password-hash-*} threads, and the rest is the app's (FastAGI, call logic, JDBC, and the
 * garbage collector and compiler working for all). PostgreSQL runs in processes of its own: its
 * CPU is read from {@code /proc} (postmaster and backends, in 10 ms ticks).
 */
final class CpuUse {
    /** Printed under the figures, so that nobody has to guess what they contain. */
    static final String HOW_MEASURED =
            "CPU: this JVM's process CPU time (OperatingSystemMXBean.getProcessCpuTime) around each phase,"
                    + " minus the simulated callers' own thread CPU (ThreadMXBean, on each caller thread around"
                    + " its call); Argon2id apart = CPU of the password-hash threads; the rest (FastAGI, call"
                    + " logic, JDBC, GC and JIT for all) is 'app'; PostgreSQL apart, from /proc (postmaster and"
                    + " backends, 10 ms ticks)";

    private static final String HASHING_THREADS = "password-hash-";
    private static final double NANOS_PER_TICK = 10_000_000; // Linux USER_HZ is 100

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuUse() {}

    /** The counters at one moment. */
    record Snapshot(long processNanos, Map<Long, Long> hashingThreadNanos, long postgresNanos) {}

    /** What one phase spent, in nanoseconds of CPU. */
    record Spent(long processNanos, long callerNanos, long hashingNanos, long postgresNanos) {
        static final Spent NONE = new Spent(0, 0, 0, 0);

        /** The JVM's CPU that neither the simulated callers nor Argon2id account for. */
        long appNanos() {
            return Math.max(0, processNanos - callerNanos - hashingNanos);
        }

        Spent plus(Spent other) {
            return new Spent(
                    processNanos + other.processNanos,
                    callerNanos + other.callerNanos,
                    hashingNanos + other.hashingNanos,
                    postgresNanos + other.postgresNanos);
        }
    }

    /** Counts the CPU of the caller threads of one phase. */
    static final class Callers {
        private final AtomicLong nanos = new AtomicLong();

        /** Runs {@code call} on this thread, adding this thread's CPU meanwhile to the callers' share. */
        <T> T run(Callable<T> call) throws Exception {
            long before = THREADS.getCurrentThreadCpuTime();
            try {
                return call.call();
            } finally {
                nanos.addAndGet(THREADS.getCurrentThreadCpuTime() - before);
            }
        }

        long nanos() {
            return nanos.get();
        }
    }

    /** The counters now; {@code postgres} is the data directory of the PostgreSQL to count, if any. */
    static Snapshot now(Optional<Path> postgres) {
        Map<Long, Long> hashing = new HashMap<>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(HASHING_THREADS)) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    hashing.put(info.getThreadId(), cpu);
                }
            }
        }
        return new Snapshot(
                processCpuNanos(), hashing, postgres.map(CpuUse::postgresNanos).orElse(0L));
    }

    /** What was spent between two snapshots, the callers' share counted by {@code callers}. */
    static Spent between(Snapshot before, Snapshot after, Callers callers) {
        long hashing = 0;
        for (var thread : after.hashingThreadNanos().entrySet()) {
            // A hashing thread started during the phase had spent nothing before it.
            hashing += thread.getValue() - before.hashingThreadNanos().getOrDefault(thread.getKey(), 0L);
        }
        return new Spent(
                after.processNanos() - before.processNanos(),
                callers.nanos(),
                hashing,
                after.postgresNanos() - before.postgresNanos());
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    /**
     * CPU of a PostgreSQL server: the postmaster (with the backends that have ended, which it
     * reaped) and every backend still running.
     */
    private static long postgresNanos(Path dataDirectory) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .strip());
            long ticks = ticks(postmaster, true);
            for (long backend : ProcessHandle.of(postmaster)
                    .map(p -> p.descendants().map(ProcessHandle::pid).toList())
                    .orElse(List.of())) {
                ticks += ticks(backend, false);
            }
            return (long) (ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux, or the server is gone: PostgreSQL is then left out
        }
    }

    /** utime + stime (and, for a parent, cutime + cstime) of a process, in clock ticks; 0 if it has gone. */
    private static long ticks(long pid, boolean withChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
