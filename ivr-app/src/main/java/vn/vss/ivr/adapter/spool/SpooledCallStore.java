package vn.vss.ivr.adapter.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.vss.ivr.call.CallOutcome;
import vn.vss.ivr.call.CallRecords;
import vn.vss.ivr.call.CallRef;
import vn.vss.ivr.call.CallStart;
import vn.vss.ivr.call.CallSummary;
import vn.vss.ivr.call.ChargeLedger;
import vn.vss.ivr.call.InputMethod;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.PhoneNumber;
import vn.vss.ivr.call.ServiceUnavailableException;

/**
 * Call records and charge lines that survive a database outage. Each write goes to the database;
 * when that fails, it is appended to a local spool file (one line per event, fsync'd before the call
 * goes on) and {@link #replay()} applies the spool to the database later, in order. Every event is
 * idempotent there (keys made by the app, "on conflict do nothing"), so replaying twice never counts
 * twice. While the spool holds anything, new events join its end, so that a call's events stay in
 * order.
 */
public final class SpooledCallStore implements CallRecords, ChargeLedger {
    private static final Logger log = LoggerFactory.getLogger(SpooledCallStore.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final CallRecords records;
    private final ChargeLedger ledger;
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel;

    public SpooledCallStore(CallRecords records, ChargeLedger ledger, Path file) throws IOException {
        this.records = records;
        this.ledger = ledger;
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = openForAppend(file);
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
                        Long.toString(start.startedAt().toEpochMilli())));
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
        lock.lock();
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file, StandardCharsets.UTF_8).size()
                    : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the spooled events to the database in order. Stops at the first event the database
     * refuses and keeps it and the rest for the next try.
     *
     * @return the number of events applied
     */
    public int replay() {
        lock.lock();
        try {
            if (channel.size() == 0) {
                return 0;
            }
            List<String> events = Files.readAllLines(file, StandardCharsets.UTF_8);
            int applied = 0;
            for (String event : events) {
                if (event.isBlank()) {
                    applied++;
                    continue;
                }
                try {
                    apply(event);
                } catch (ServiceUnavailableException e) {
                    break;
                } catch (RuntimeException e) {
                    // A line that cannot be parsed must not block the rest forever: keep it aside.
                    log.error("spool line {} cannot be applied and is set aside: {}", applied + 1, e.toString());
                    Files.writeString(
                            file.resolveSibling(file.getFileName() + ".rejected"),
                            event + "\n",
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                applied++;
            }
            keepOnly(events.subList(applied, events.size()));
            if (applied > 0) {
                log.info(
                        "spool: {} event(s) written to the database, {} still waiting",
                        applied,
                        events.size() - applied);
            }
            return applied;
        } catch (IOException e) {
            log.error("spool could not be replayed: {}", e.toString());
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void write(Runnable toDatabase, String event) {
        lock.lock();
        try {
            if (channel.size() == 0) {
                try {
                    toDatabase.run();
                    return;
                } catch (ServiceUnavailableException e) {
                    log.warn("database unavailable, spooling call events locally: {}", e.getMessage());
                }
            }
            append(event);
        } catch (IOException e) {
            throw new UncheckedIOException("the charge spool cannot be written", e);
        } finally {
            lock.unlock();
        }
    }

    private void append(String event) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    private void keepOnly(List<String> remaining) throws IOException {
        if (remaining.isEmpty()) {
            channel.truncate(0);
            channel.force(true);
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap((String.join("\n", remaining) + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        // The rename is atomic: after a crash the spool holds either all events or the remaining ones.
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The append channel still points at the replaced file: reopen it on the new one.
        channel.close();
        channel = openForAppend(file);
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
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
                            Instant.ofEpochMilli(Long.parseLong(f[6]))));
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
