package vn.vss.ivr;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import vn.vss.ivr.adapter.postgres.Database;
import vn.vss.ivr.adapter.postgres.JooqNoticeOutbox;
import vn.vss.ivr.adapter.postgres.JooqNoticeOutbox.InDoubt;
import vn.vss.ivr.call.ResetNotice;
import vn.vss.ivr.config.IvrConfig;

/**
 * The {@code sms-in-doubt} command: the operator's side of a notice that may or may not have reached
 * the SMSC. Lists them with what the carrier needs to look one up (the number, when it was sent);
 * {@code --resend} sends one again, {@code --mark-sent} records that the carrier had it.
 */
public final class SmsInDoubt {
    private static final DateTimeFormatter VIETNAM_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ResetNotice.VIETNAM);

    private SmsInDoubt() {}

    public static int run(IvrConfig config, Map<String, String> options, PrintStream out) throws Exception {
        if (options.containsKey("resend") && options.containsKey("mark-sent")) {
            throw new IllegalArgumentException(
                    "sms-in-doubt: --resend and --mark-sent decide one notice two ways;" + " give one of them");
        }
        try (Database database = Database.start(config.database(), new SimpleMeterRegistry())) {
            JooqNoticeOutbox outbox = new JooqNoticeOutbox(database.dsl());
            if (options.containsKey("resend")) {
                return settle(outbox, Long.parseLong(options.get("resend")), true, out);
            }
            if (options.containsKey("mark-sent")) {
                return settle(outbox, Long.parseLong(options.get("mark-sent")), false, out);
            }
            list(outbox.inDoubt(), out);
            return 0;
        }
    }

    private static int settle(JooqNoticeOutbox outbox, long id, boolean resend, PrintStream out) {
        boolean done = resend ? outbox.resend(id) : outbox.settleAsSent(id);
        if (!done) {
            System.err.println("notice " + id + " is not in doubt ("
                    + outbox.state(id).map(state -> "it is " + state).orElse("there is no such notice") + ")");
            return 1;
        }
        out.println(
                resend
                        ? "notice " + id + " will be sent again within seconds"
                        : "notice " + id + " recorded as sent (as of its claim)");
        return 0;
    }

    private static void list(List<InDoubt> notices, PrintStream out) {
        if (notices.isEmpty()) {
            out.println("no SMS notice is in doubt");
            return;
        }
        out.printf("%-8s %-16s %-19s %-19s %s%n", "id", "number", "reset (Vietnam)", "submitted (Vietnam)", "why");
        for (InDoubt notice : notices) {
            out.printf(
                    "%-8d %-16s %-19s %-19s %s%n",
                    notice.id(),
                    notice.phoneE164(),
                    VIETNAM_TIME.format(notice.createdAt()),
                    notice.claimedAt() == null ? "" : VIETNAM_TIME.format(notice.claimedAt()),
                    notice.lastError() == null ? "" : notice.lastError());
        }
        out.println(notices.size() + " notice(s) in doubt: ask the carrier whether each reached the number, then"
                + " --mark-sent ID if it did, --resend ID if it did not");
    }
}
