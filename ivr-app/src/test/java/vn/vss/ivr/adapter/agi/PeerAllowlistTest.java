package vn.vss.ivr.adapter.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PeerAllowlistTest {

    @Test
    void givenAddressesAndBlocks_thenOnlyThoseAreAllowed() throws Exception {
        PeerAllowlist allowlist = PeerAllowlist.parse("127.0.0.1, ::1, 172.28.5.0/24, 10.0.0.0/8");

        assertThat(allowlist.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(allowlist.allows(InetAddress.getByName("::1"))).isTrue();
        assertThat(allowlist.allows(InetAddress.getByName("172.28.5.200"))).isTrue();
        assertThat(allowlist.allows(InetAddress.getByName("10.200.1.1"))).isTrue();
        assertThat(allowlist.allows(InetAddress.getByName("172.28.6.1"))).isFalse();
        assertThat(allowlist.allows(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(allowlist.allows(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void givenSomethingThatIsNotAnAddress_thenTheEntryIsNamed() {
        assertThatThrownBy(() -> PeerAllowlist.parse("127.0.0.1,asterisk"))
                .hasMessageContaining("'asterisk' is not an IP address");
        assertThatThrownBy(() -> PeerAllowlist.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0-32");
        assertThatThrownBy(() -> PeerAllowlist.parse(" , ")).hasMessageContaining("names no address");
    }
}
