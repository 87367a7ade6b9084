package dev.gatehouse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTests {

    @Test
    void anIpv4RangeHoldsTheAddressesUnderItsPrefixOnly() throws Exception {
        AddressRange range = AddressRange.parse("10.1.0.0/17");
        assertThat(range.contains(InetAddress.getByName("10.1.127.255"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("10.1.128.0"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(range.text()).isEqualTo("10.1.0.0/17");
    }

    @Test
    void aBareAddressIsARangeOfOne() throws Exception {
        AddressRange one = AddressRange.parse("2001:db8::7");
        assertThat(one.prefix()).isEqualTo(128);
        assertThat(one.contains(InetAddress.getByName("2001:db8::7"))).isTrue();
        assertThat(one.contains(InetAddress.getByName("2001:db8::8"))).isFalse();
    }

    @Test
    void ipv4MappedAddressesAreIpv4OnBothSides() throws Exception {
        AddressRange mapped = AddressRange.parse("::ffff:192.168.0.0/112");
        assertThat(mapped.text()).isEqualTo("192.168.0.0/16");
        // An Inet6Address that keeps its mapped form, as some native transports may hand it over.
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) 192;
        bytes[13] = (byte) 168;
        bytes[14] = 3;
        bytes[15] = 4;
        InetAddress client = Inet6Address.getByAddress(null, bytes, -1);
        assertThat(AddressRange.parse("192.168.0.0/16").contains(client)).isTrue();
        assertThat(AddressRange.parse("::/0").contains(InetAddress.getByName("192.168.3.4")))
                .isFalse();
    }

    @Test
    void zeroPrefixesTakeTheirWholeFamily() throws Exception {
        assertThat(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")))
                .isTrue();
        assertThat(AddressRange.parse("::/0").contains(InetAddress.getByName("2001:db8::1")))
                .isTrue();
    }

    @Test
    void textsThatAreNoRangeSayWhy() {
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("0-32");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.1/8")).hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> AddressRange.parse("db.example.com")).hasMessageContaining("not an IPv4 or IPv6");
        assertThatThrownBy(() -> AddressRange.parse("010.0.0.0/8")).hasMessageContaining("not an IPv4 or IPv6");
        assertThatThrownBy(() -> AddressRange.parse("fe80::1%eth0")).hasMessageContaining("not an IPv4 or IPv6");
        assertThatThrownBy(() -> AddressRange.parse("::ffff:10.0.0.0/95")).hasMessageContaining("96");
        assertThatThrownBy(() -> AddressRange.parse(" ")).hasMessageContaining("needed");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/+8")).hasMessageContaining("prefix");
    }
}
