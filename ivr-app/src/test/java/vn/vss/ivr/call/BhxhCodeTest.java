package vn.vss.ivr.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BhxhCodeTest {

    @Test
    void givenExactlyTenDigits_thenItIsACode() {
        assertThat(BhxhCode.parse("0123456789")).map(BhxhCode::digits).contains("0123456789");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "012345678", "01234567890", "012345678*", "#", "*", "01234 5678", "０１２３４５６７８９"})
    void givenAnythingElse_thenThereIsNoCode(String keys) {
        assertThat(BhxhCode.parse(keys)).isEmpty();
    }

    @Test
    void theFullCodeNeverPrintsItself() {
        BhxhCode code = new BhxhCode("0123456789");
        assertThat(code.toString()).isEqualTo("*******789").doesNotContain("0123456");
        assertThatThrownBy(() -> new BhxhCode("123")).isInstanceOf(IllegalArgumentException.class);
    }
}
