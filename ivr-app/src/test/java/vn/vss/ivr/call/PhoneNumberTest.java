package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {

    @ParameterizedTest
    @CsvSource({
        "+84912345678, +84912345678",
        "84912345678, +84912345678",
        "0912345678, +84912345678",
        "02439998888, +842439998888",
        "+842439998888, +842439998888"
    })
    void givenTheUsualShapesOfAVietnameseCallerId_thenAllNormaliseToTheSameE164(String callerId, String e164) {
        assertThat(PhoneNumber.fromCallerId(callerId)).map(PhoneNumber::e164).contains(e164);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "anonymous",
                "unknown",
                "Restricted",
                "+84 91-234",
                "+84 912 345 678",
                "0912-345-678",
                "0912345678\r\nHANGUP",
                "0912345678\r",
                "912345678",
                "00912345678",
                "+1912345678",
                "+840912345678",
                "091234567",
                "091234567890",
                "٠٩١٢٣٤٥٦٧٨"
            })
    void givenAnythingButPlainDigitsInAKnownShape_thenThereIsNoNumber(String callerId) {
        assertThat(PhoneNumber.fromCallerId(callerId)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void givenAThreeHundredCharacterCallerId_thenThereIsNoNumber() {
        assertThat(PhoneNumber.fromCallerId("0".repeat(300))).isEmpty();
        assertThat(PhoneNumber.fromCallerId(null)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void maskedFormHidesTheMiddleDigits() {
        assertThat(new PhoneNumber("+84912345678").masked()).isEqualTo("+8491*****78");
        assertThat(new PhoneNumber("+84912345678").toString()).doesNotContain("2345");
    }
}
