package vn.vss.ivr.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.crypto.Argon2idPasswordHasher;

class Argon2idPasswordHasherTest {
    private final Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(new SecureRandom());

    @Test
    void givenAPassword_thenItsHashVerifiesItAndNoOther() {
        String hash = hasher.hash("40712236".toCharArray());

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("40712236");
        assertThat(hasher.verify("40712236".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("40712237".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify("40712236".toCharArray(), "not a hash")).isFalse();
    }

    @Test
    void givenTheSamePasswordTwice_thenTheSaltsDiffer() {
        assertThat(hasher.hash("12345678".toCharArray())).isNotEqualTo(hasher.hash("12345678".toCharArray()));
    }
}
