package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResetNoticeTest {
    @Test
    void givenAResetJustBeforeMidnightUtc_thenTheTextGivesTheTimeAndDayInVietnam() {
        ResetNotice notice = new ResetNotice(1, "+84912345678", Instant.parse("2026-11-30T17:05:00Z"));

        assertThat(notice.text())
                .isEqualTo("Mật khẩu VssID của bạn vừa được cấp lại qua tổng đài 1900 9068 lúc 00:05 ngày 01/12."
                        + " Nếu không phải bạn, hãy gọi 1900 9068.");
    }

    @Test
    void givenAMorningReset_thenHoursAndDaysHaveTwoDigits() {
        ResetNotice notice = new ResetNotice(1, "+84912345678", Instant.parse("2026-03-04T01:02:00Z"));

        assertThat(notice.text()).contains("lúc 08:02 ngày 04/03.");
    }

    @Test
    void theNumberIsMaskedForLogsAndMustBeE164() {
        assertThat(new ResetNotice(1, "+84912345678", Instant.EPOCH).maskedPhone())
                .isEqualTo("+8491*****78");
        assertThatThrownBy(() -> new ResetNotice(1, "0912345678", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
