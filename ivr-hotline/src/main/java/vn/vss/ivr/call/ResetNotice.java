package vn.vss.ivr.call;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The notice that tells a citizen their VssID password was reset by phone, to the number registered
 * for their code. It holds no secret: only when it happened and whom to call if it was not them.
 *
 * @param id the notice's row in the outbox
 * @param phoneE164 the registered number, {@code +} and digits
 * @param resetAt when the new password was put in force
 */
public record ResetNotice(long id, String phoneE164, Instant resetAt) {
    /** Citizens read the time of day on Vietnam's clock, whatever the servers' time zone. */
    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM");

    public ResetNotice {
        if (phoneE164 == null || !phoneE164.matches("\\+[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("not an E.164 number");
        }
    }

    /** The text of the SMS, in Vietnamese. */
    public String text() {
        var local = resetAt.atZone(VIETNAM);
        return "Mật khẩu VssID của bạn vừa được cấp lại qua tổng đài 1900 9068 lúc " + TIME.format(local) + " ngày "
                + DAY.format(local) + ". Nếu không phải bạn, hãy gọi 1900 9068.";
    }

    /** Logs see the number masked, as for callers. */
    public String maskedPhone() {
        return phoneE164.substring(0, Math.min(5, phoneE164.length() - 2))
                + "*".repeat(Math.max(0, phoneE164.length() - 7))
                + phoneE164.substring(phoneE164.length() - 2);
    }
}
