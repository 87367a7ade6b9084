package dev.gatehouse.dataplane;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PROXY v1 header byte for byte, and decoded by Netty's strict v1 decoder (an independent parser)
 * to show receivers accept it.
 */
class ProxyHeaderTests {

    private static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Test
    void ipv4IsTcp4WithSingleSpacesAndCrlf() throws Exception {
        assertThat(ProxyHeader.text(at("192.0.2.7", 51234), at("10.0.0.1", 5432)))
                .isEqualTo("PROXY TCP4 192.0.2.7 10.0.0.1 51234 5432\r\n");
    }

    @Test
    void ipv6IsTcp6InCanonicalCompressedForm() throws Exception {
        assertThat(ProxyHeader.text(at("0:0:0:0:0:0:0:1", 1), at("2001:DB8:0:0:0:0:0:7", 65535)))
                .isEqualTo("PROXY TCP6 ::1 2001:db8::7 1 65535\r\n");
    }

    @Test
    void zoneIdsAreNeverWritten() throws Exception {
        InetAddress scoped =
                Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertThat(scoped.getHostAddress()).contains("%");
        String header = ProxyHeader.text(new InetSocketAddress(scoped, 4000), at("fe80::2", 443));
        assertThat(header).isEqualTo("PROXY TCP6 fe80::1 fe80::2 4000 443\r\n");
    }

    @Test
    void ipv4MappedAddressesAreSentAsTcp4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 9};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        InetAddress listener = Inet6Address.getByAddress(
                null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}, -1);
        assertThat(ProxyHeader.text(new InetSocketAddress(client, 1000), new InetSocketAddress(listener, 2000)))
                .isEqualTo("PROXY TCP4 192.0.2.9 127.0.0.1 1000 2000\r\n");
    }

    @Test
    void mixedFamiliesFallBackToTcp6WithTheIpv4AddressMapped() throws Exception {
        assertThat(ProxyHeader.text(at("192.0.2.9", 1000), at("::1", 2000)))
                .isEqualTo("PROXY TCP6 ::ffff:192.0.2.9 ::1 1000 2000\r\n");
    }

    @Test
    void theLongestPossibleHeaderFitsTheSpecsLimit() throws Exception {
        String longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe";
        String header = ProxyHeader.text(at(longest, 65535), at(longest, 65535));
        assertThat(header).hasSize(104);
        assertThat(header.length()).isLessThanOrEqualTo(ProxyHeader.MAX_LENGTH);
    }

    @Test
    void whatACallerDoesWithAProbeHeaderNeverChangesTheNextProbes() {
        for (ProbeSpec.ProxyHeaderMode mode :
                List.of(ProbeSpec.ProxyHeaderMode.V1, ProbeSpec.ProxyHeaderMode.V2_LOCAL)) {
            byte[] sent = mode.bytes();
            byte[] before = sent.clone();
            sent[0] = 'X';
            assertThat(mode.bytes()).isEqualTo(before);
        }
        ProxyHeader.unknown()[0] = 'X';
        ProxyHeaderV2.local()[0] = 'X';
        assertThat(new String(ProxyHeader.unknown(), US_ASCII)).isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(ProxyHeaderV2.local()[0]).isEqualTo((byte) 0x0D);
    }

    @Test
    void theProbeHeaderIsExactlyFifteenBytes() {
        assertThat(new String(ProxyHeader.unknown(), US_ASCII)).isEqualTo("PROXY UNKNOWN\r\n");
        assertThat(ProxyHeader.unknown()).hasSize(15);
    }

    @Test
    void nettysStrictDecoderReadsBackWhatWeWrite() throws Exception {
        assertDecodes(at("192.0.2.7", 51234), at("10.0.0.1", 5432), HAProxyProxiedProtocol.TCP4);
        assertDecodes(at("2001:db8::7", 1), at("::1", 65535), HAProxyProxiedProtocol.TCP6);
    }

    private static void assertDecodes(InetSocketAddress src, InetSocketAddress dst, HAProxyProxiedProtocol protocol) {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        ByteBuf encoded = ProxyHeader.encode(UnpooledByteBufAllocator.DEFAULT, src, dst);
        channel.writeInbound(encoded);
        HAProxyMessage message = channel.readInbound();
        try {
            assertThat(message.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V1);
            assertThat(message.proxiedProtocol()).isEqualTo(protocol);
            assertThat(message.sourcePort()).isEqualTo(src.getPort());
            assertThat(message.destinationPort()).isEqualTo(dst.getPort());
            assertThat(message.sourceAddress()).isEqualTo(NetUtil.toAddressString(src.getAddress()));
        } finally {
            message.release();
            channel.finishAndReleaseAll();
        }
    }
}
