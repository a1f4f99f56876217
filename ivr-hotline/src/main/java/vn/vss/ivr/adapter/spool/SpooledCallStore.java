package vn.vss.ivr.adapter.spool;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.CallBackId;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;
import vn.vss.ivr.call.ChargeLedger;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.RecordRefusedException;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * Call records and charge lines that survive a database outage. Each write goes to the database;
 * when that fails, it is appended to a local spool file (one line per event, fsync'd before the call
 * goes on) and {@link #replay()} applies the spool to the database later, in order. Every event is
 * idempotent there (keys made by the app, "on conflict do nothing"), so replaying twice never counts
 * twice.
 *
 * <p>Order: while the spool holds any event not yet applied, new events join its end, and an event
 * counts as applied only once the database has taken it. So a call's events, which its thread writes
 * one after the other, reach the database in the order they happened, and a new event never
 * overtakes the backlog.
 *
 * <p>Locking: the lock guards only the file bookkeeping (what is pending, appending, cutting off what
 * was applied). Database statements run outside it, so a slow or vanished database delays only the
 * call or the replay that waits for it, never every call thread at once.
 *
 * <p>Waiting: a call waits for the database to take an event at most {@link #DATABASE_WAIT}. A
 * database that hangs (frozen, or packets dropped) would otherwise hold the caller in silence until
 * the connection's socket time-out; after that wait the event is spooled and the call goes on,
 * while the statement may still finish on its own thread (applying the spooled copy too is harmless).
 *
 * <p>Files next to the spool: {@code <spool>.applied} holds how many of its bytes are applied (the
 * spool is emptied once all are), and {@code <spool>.rejected} keeps the events the database refused
 * for what they hold, which would otherwise block every event behind them forever.
 */
public final class SpooledCallStore implements CallRecords, ChargeLedger {
    private static final Logger log = LoggerFactory.getLogger(SpooledCallStore.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final Set<String> KINDS = Set.of("open", "answered", "charge", "close");
    /** Events applied between two cut-offs: bounds memory and what a crash makes replay again. */
    static final int BATCH = 500;
    /** The longest a call waits for the database to take one event before spooling it instead. */
    static final Duration DATABASE_WAIT = Duration.ofMillis(500);
    /** Events that may be waiting for the database at once; more go straight to the spool. */
    private static final int MOST_WAITING_WRITES = 64;

    private final CallRecords records;
    private final ChargeLedger ledger;
    private final Path appliedMark;
    private final Path rejectedFile;
    private final int batchSize;
    /** Guards the bookkeeping below; never held while a database statement runs. */
    private final ReentrantLock lock = new ReentrantLock();
    /** One replay at a time (the scheduled one, start-up, tests); call threads never take it. */
    private final ReentrantLock replaying = new ReentrantLock();

    private final FileChannel channel;
    /** Bytes at the start of the spool already applied to the database. */
    private long appliedTo;
    /** Events in the spool not yet applied. Written under the lock, read anywhere. */
    private volatile long pending;

    /** Runs each direct database write, so that a call can stop waiting for a hung one. */
    private final ThreadPoolExecutor writers = waitingWrites();

    private final AtomicLong rejected = new AtomicLong();
    private final Object rejectedLock = new Object();

    public SpooledCallStore(CallRecords records, ChargeLedger ledger, Path file) throws IOException {
        this(records, ledger, file, BATCH);
    }

    SpooledCallStore(CallRecords records, ChargeLedger ledger, Path file, int batchSize) throws IOException {
        this.records = records;
        this.ledger = ledger;
        this.appliedMark = file.resolveSibling(file.getFileName() + ".applied");
        this.rejectedFile = file.resolveSibling(file.getFileName() + ".rejected");
        this.batchSize = batchSize;
        Files.createDirectories(file.toAbsolutePath().getParent());
        // Not opened for APPEND (that forbids reading): appends write at the end, under the lock.
        this.channel = FileChannel.open(file, CREATE, READ, WRITE);
        dropHalfWrittenLastLine();
        this.appliedTo = readAppliedMark();
        this.pending = countLines(appliedTo, channel.size());
    }

    @Override
    public void open(CallRef call, CallStart start) {
        write(
                () -> records.open(call, start),
                String.join(
                        "\t",
                        "open",
                        call.id().toString(),
                        text(start.asteriskUniqueId()),
                        text(start.callerIdReceived()),
                        start.callerNumber().map(PhoneNumber::e164).orElse("-"),
                        start.language().code(),
                        Long.toString(start.startedAt().toEpochMilli()),
                        start.callBackLeg().map(CallBackId::toString).orElse("-")));
    }

    @Override
    public void answered(CallRef call, Instant answeredAt) {
        write(
                () -> records.answered(call, answeredAt),
                String.join("\t", "answered", call.id().toString(), Long.toString(answeredAt.toEpochMilli())));
    }

    @Override
    public void close(CallRef call, CallSummary summary) {
        write(
                () -> records.close(call, summary),
                String.join(
                        "\t",
                        "close",
                        call.id().toString(),
                        summary.outcome().name(),
                        summary.inputMethod().name(),
                        Integer.toString(summary.codeTries()),
                        Long.toString(summary.endedAt().toEpochMilli()),
                        Integer.toString(summary.billedMinutes())));
    }

    @Override
    public void chargeMinute(CallRef call, int minute, long amountVnd, Instant minuteStartedAt) {
        write(
                () -> ledger.chargeMinute(call, minute, amountVnd, minuteStartedAt),
                String.join(
                        "\t",
                        "charge",
                        call.id().toString(),
                        Integer.toString(minute),
                        Long.toString(amountVnd),
                        Long.toString(minuteStartedAt.toEpochMilli())));
    }

    /** Events waiting for the database. */
    public long pending() {
        return pending;
    }

    /** Events set aside since start-up because the database refused them for what they hold. */
    public long rejected() {
        return rejected.get();
    }

    /**
     * Applies the spooled events to the database in order, a batch at a time, cutting each batch off
     * the spool once applied. An event the database refuses for what it holds is set aside and the
     * next one goes on; when the database is unavailable, that event and the rest wait for the next
     * try. Events written meanwhile join the end and are applied in the same run.
     *
     * @return the number of events taken off the spool (applied or set aside)
     */
    public int replay() {
        replaying.lock();
        int done = 0;
        try {
            while (true) {
                List<Event> batch = nextBatch();
                int applied = applyInOrder(batch);
                if (applied > 0) {
                    cutOff(batch.get(applied - 1).end(), applied);
                    done += applied;
                }
                if (batch.isEmpty() || applied < batch.size()) {
                    break;
                }
            }
            if (done > 0) {
                log.info("spool: {} event(s) replayed, {} still waiting", done, pending);
            }
        } catch (IOException e) {
            log.error("spool could not be replayed: {}", e.toString());
        } finally {
            replaying.unlock();
        }
        return done;
    }

    private void write(Runnable toDatabase, String event) {
        // Straight to the database only while nothing waits in the spool: otherwise this event could
        // overtake an earlier one of the same call. The database call itself runs without the lock.
        if (pending == 0 && writtenToDatabase(toDatabase, event)) {
            return;
        }
        lock.lock();
        try {
            append(event);
        } catch (IOException e) {
            throw new UncheckedIOException("the charge spool cannot be written", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return true when the database took the event (or refused it for good and it was set aside);
     *     false when it must be spooled
     */
    private boolean writtenToDatabase(Runnable toDatabase, String event) {
        Future<?> written;
        try {
            written = writers.submit(toDatabase);
        } catch (RejectedExecutionException e) {
            log.warn("{} call events are already waiting for the database; spooling locally", MOST_WAITING_WRITES);
            return false;
        }
        try {
            written.get(DATABASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordRefusedException refused) {
                setAside(event, "SQLSTATE " + refused.reason());
                return true;
            }
            if (e.getCause() instanceof ServiceUnavailableException unavailable) {
                log.warn("database unavailable, spooling call events locally: {}", unavailable.getMessage());
                return false;
            }
            if (e.getCause() instanceof RuntimeException other) {
                throw other;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            log.warn(
                    "the database took no call event within {} ms, spooling call events locally",
                    DATABASE_WAIT.toMillis());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadPoolExecutor waitingWrites() {
        // No thread kept ready: an idle one takes the next write, a new one starts only when all are
        // busy, and one idle for 30 s ends.
        return new ThreadPoolExecutor(0, MOST_WAITING_WRITES, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "call-event-write");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Appends one whole line and syncs it; on failure, cuts off whatever part of it was written. */
    private void append(String event) throws IOException {
        long before = channel.size();
        ByteBuffer bytes = ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, before + bytes.position());
            }
            channel.force(false);
        } catch (IOException e) {
            // A half line would glue itself to the next event appended.
            try {
                channel.truncate(before);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        pending++;
    }

    /** One spooled line and the spool offset just after it. */
    private record Event(String line, long end) {}

    /** Up to a batch of the events not yet applied, read without the lock: appends never touch them. */
    private List<Event> nextBatch() throws IOException {
        long from;
        long to;
        lock.lock();
        try {
            from = appliedTo;
            to = channel.size();
        } finally {
            lock.unlock();
        }
        return readLines(from, to, batchSize);
    }

    /**
     * @return how many events of the batch are done with (applied or set aside); fewer than the batch
     *     when the database became unavailable
     */
    private int applyInOrder(List<Event> batch) throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            String line = batch.get(i).line();
            if (line.isBlank()) {
                continue;
            }
            try {
                apply(line);
            } catch (RecordRefusedException e) {
                setAside(line, "SQLSTATE " + e.reason());
            } catch (ServiceUnavailableException e) {
                return i;
            } catch (RuntimeException e) {
                // A line that cannot be read would block the rest forever. The exception's message
                // may quote the line, so only its type is logged.
                setAsideUnchecked(line, e.getClass().getSimpleName());
            }
        }
        return batch.size();
    }

    /** Marks the spool applied up to {@code end}; empties it once everything is applied. */
    private void cutOff(long end, int events) throws IOException {
        lock.lock();
        try {
            appliedTo = end;
            pending -= events;
            if (appliedTo == channel.size()) {
                channel.truncate(0);
                channel.force(true);
                appliedTo = 0;
            }
            writeAppliedMark(appliedTo);
        } finally {
            lock.unlock();
        }
    }

    private void setAside(String event, String reason) {
        try {
            setAsideUnchecked(event, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("a refused call event cannot be set aside", e);
        }
    }

    /**
     * Keeps an event that can never be applied (refused by the database, or unreadable) in {@code
     * <spool>.rejected} (append-only, synced) for someone to look at.
     * The log line names the kind of event and the reason, never what the event holds (a caller's
     * number).
     */
    private void setAsideUnchecked(String event, String reason) throws IOException {
        synchronized (rejectedLock) {
            try (FileChannel out = FileChannel.open(rejectedFile, CREATE, WRITE, APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(false);
            }
        }
        rejected.incrementAndGet();
        log.warn(
                "spool: a '{}' call event cannot be applied ({}) and is set aside in {}; the events after it go on",
                kindOf(event),
                reason,
                rejectedFile.getFileName());
    }

    private static String kindOf(String event) {
        String kind = event.substring(0, Math.max(0, event.indexOf('\t')));
        return KINDS.contains(kind) ? kind : "unknown";
    }

    /**
     * A crash in the middle of an append leaves a last line without its newline. It is no event (the
     * call never heard it was kept), and it could even parse, with a number cut short; cut it off
     * before anything is appended after it.
     */
    private void dropHalfWrittenLastLine() throws IOException {
        long size = channel.size();
        if (size == 0 || byteAt(size - 1) == '\n') {
            return;
        }
        long end = size - 1;
        while (end > 0 && byteAt(end - 1) != '\n') {
            end--;
        }
        channel.truncate(end);
        channel.force(true);
        log.warn(
                "spool: its last event was only partly written ({} bytes) when the app stopped; it is ignored",
                size - end);
    }

    private byte byteAt(long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, position);
        return one.get(0);
    }

    /**
     * The complete lines between two offsets, at most {@code max}. A last piece without its newline
     * is not returned.
     */
    private List<Event> readLines(long from, long to, int max) throws IOException {
        List<Event> events = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = from;
        while (position < to && events.size() < max) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
            int read = channel.read(buffer, position);
            if (read <= 0) {
                break;
            }
            for (int i = 0; i < read && events.size() < max; i++) {
                byte b = buffer.get(i);
                position++;
                if (b == '\n') {
                    events.add(new Event(line.toString(StandardCharsets.UTF_8), position));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }
        return events;
    }

    private long countLines(long from, long to) throws IOException {
        long lines = 0;
        for (List<Event> batch = readLines(from, to, 10_000); !batch.isEmpty(); ) {
            lines += batch.size();
            batch = readLines(batch.get(batch.size() - 1).end(), to, 10_000);
        }
        return lines;
    }

    /**
     * Where the previous run stopped applying. A mark past the end of the spool (it was emptied just
     * before a crash) or not at a line's start means start over: applying twice is harmless.
     */
    private long readAppliedMark() throws IOException {
        if (!Files.exists(appliedMark)) {
            return 0;
        }
        long mark;
        try {
            mark = Long.parseLong(
                    Files.readString(appliedMark, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            mark = -1;
        }
        if (channel.size() == 0 || mark == 0) {
            return 0;
        }
        if (mark > 0 && mark <= channel.size() && byteAt(mark - 1) == '\n') {
            return mark;
        }
        log.warn("spool: {} does not fit the spool; the whole spool is applied again", appliedMark.getFileName());
        return 0;
    }

    /** Written aside and renamed over the old mark, so that a crash leaves the old mark or the new one. */
    private void writeAppliedMark(long mark) throws IOException {
        Path temporary = appliedMark.resolveSibling(appliedMark.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, CREATE, WRITE, TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(Long.toString(mark).getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(temporary, appliedMark, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void apply(String event) {
        String[] f = event.split("\t", -1);
        CallRef call = new CallRef(UUID.fromString(f[1]));
        switch (f[0]) {
            case "open" -> records.open(
                    call,
                    new CallStart(
                            untext(f[2]),
                            untext(f[3]),
                            f[4].equals("-") ? Optional.empty() : Optional.of(new PhoneNumber(f[4])),
                            Language.fromCode(f[5]).orElse(Language.VI),
                            Instant.ofEpochMilli(Long.parseLong(f[6])),
                            Optional.empty(),
                            false,
                            // Lines written before call-backs existed have no 8th field.
                            f.length > 7 ? CallBackId.fromText(f[7]) : Optional.empty()));
            case "answered" -> records.answered(call, Instant.ofEpochMilli(Long.parseLong(f[2])));
            case "charge" -> ledger.chargeMinute(
                    call, Integer.parseInt(f[2]), Long.parseLong(f[3]), Instant.ofEpochMilli(Long.parseLong(f[4])));
            case "close" -> records.close(
                    call,
                    new CallSummary(
                            CallOutcome.valueOf(f[2]),
                            InputMethod.valueOf(f[3]),
                            Integer.parseInt(f[4]),
                            Instant.ofEpochMilli(Long.parseLong(f[5])),
                            Integer.parseInt(f[6])));
            default -> throw new IllegalArgumentException("unknown spool event '" + f[0] + "'");
        }
    }

    private static String text(String value) {
        return B64.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String value) {
        return new String(B64_DECODE.decode(value), StandardCharsets.UTF_8);
    }
}
