package vn.vss.ivr.adapter.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.Test;

class SmsAddressTest {
    @Test
    void theCitizensNumberTravelsInternationalIsdnWithoutThePlus() {
        assertThat(SmsAddress.citizen("+84912345678"))
                .isEqualTo(new SmsAddress("84912345678", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN));
        assertThatThrownBy(() -> SmsAddress.citizen("84912345678")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSourceIsAServiceNumberAnInternationalNumberOrASenderName() {
        assertThat(SmsAddress.source("1900 9068"))
                .isEqualTo(new SmsAddress("19009068", TypeOfNumber.NATIONAL, NumberingPlanIndicator.ISDN));
        assertThat(SmsAddress.source("+84 24 3936 1111"))
                .isEqualTo(new SmsAddress("842439361111", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN));
        assertThat(SmsAddress.source("BHXH VN"))
                .isEqualTo(new SmsAddress("BHXH VN", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN));
        assertThatThrownBy(() -> SmsAddress.source("BAO HIEM XA HOI")).hasMessageContaining("1 to 11 letters");
        assertThatThrownBy(() -> SmsAddress.source("1900-9068")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmsAddress.source("Bảo hiểm")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusalsAreSortedIntoSlowDownTryLaterAndNever() {
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RTHROTTLED)).isEqualTo(SmscRefusal.THROTTLED);
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RMSGQFUL)).isEqualTo(SmscRefusal.THROTTLED);
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RSYSERR)).isEqualTo(SmscRefusal.TEMPORARY);
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RX_T_APPN)).isEqualTo(SmscRefusal.TEMPORARY);
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RINVDSTADR)).isEqualTo(SmscRefusal.PERMANENT);
        assertThat(SmscRefusal.of(SMPPConstant.STAT_ESME_RX_P_APPN)).isEqualTo(SmscRefusal.PERMANENT);
        assertThat(SmscRefusal.name(SMPPConstant.STAT_ESME_RTHROTTLED)).isEqualTo("ESME_RTHROTTLED (0x00000058)");
        assertThat(SmscRefusal.name(0x4711)).isEqualTo("command_status 0x00004711");
    }

    @Test
    void theSmscAddressIsHostAndPort() {
        assertThat(SmppSettings.parseAddress("smsc.viettel.vn:2775"))
                .isEqualTo(new SmppSettings.HostAndPort("smsc.viettel.vn", 2775));
        assertThat(SmppSettings.parseAddress("[::1]:2775")).isEqualTo(new SmppSettings.HostAndPort("::1", 2775));
        assertThatThrownBy(() -> SmppSettings.parseAddress("smsc.viettel.vn")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> SmppSettings.parseAddress("smsc:0")).hasMessageContaining("port");
        assertThatThrownBy(() -> SmppSettings.parseAddress("sm sc:2775")).hasMessageContaining("host:port");
    }
}
