package dev.gatehouse.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class SocketAddressesTests {

    @Test
    void theSameAddressOnTheSamePortOverlaps() {
        assertThat(overlap("127.0.0.1", 5000, "127.0.0.1", 5000)).isTrue();
        assertThat(overlap("::1", 5000, "0:0:0:0:0:0:0:1", 5000)).isTrue();
    }

    @Test
    void differentPortsNeverOverlap() {
        assertThat(overlap("127.0.0.1", 5000, "127.0.0.1", 5001)).isFalse();
        assertThat(overlap("0.0.0.0", 5000, "127.0.0.1", 5001)).isFalse();
        assertThat(overlap("::", 5000, "::", 5001)).isFalse();
    }

    @Test
    void twoSpecificAddressesOverlapOnlyWhenEqual() {
        assertThat(overlap("127.0.0.1", 5000, "127.0.0.2", 5000)).isFalse();
        assertThat(overlap("127.0.0.1", 5000, "::1", 5000)).isFalse();
        assertThat(overlap("::1", 5000, "2001:db8::1", 5000)).isFalse();
    }

    @Test
    void theIpv4WildcardTakesItsPortOnEveryAddressOfBothFamilies() {
        assertThat(overlap("0.0.0.0", 5000, "127.0.0.1", 5000)).isTrue();
        assertThat(overlap("0.0.0.0", 5000, "::1", 5000)).isTrue();
        assertThat(overlap("::1", 5000, "0.0.0.0", 5000)).isTrue();
        assertThat(overlap("0.0.0.0", 5000, "0.0.0.0", 5000)).isTrue();
    }

    @Test
    void theIpv6WildcardTakesItsPortOnEveryAddressOfBothFamilies() {
        assertThat(overlap("::", 5000, "127.0.0.1", 5000)).isTrue();
        assertThat(overlap("10.0.0.1", 5000, "::", 5000)).isTrue();
        assertThat(overlap("::", 5000, "::1", 5000)).isTrue();
        assertThat(overlap("::", 5000, "0.0.0.0", 5000)).isTrue();
    }

    private static boolean overlap(String a, int portA, String b, int portB) {
        return SocketAddresses.overlap(address(a, portA), address(b, portB));
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
