package dev.gatehouse.dataplane;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The PROXY v2 header byte for byte (golden hex written from doc/proxy-protocol.txt, section 2.2), each shape
 * also decoded by Netty's strict v2 decoder, an independent parser. The CRC32C golden value was computed with a
 * bitwise reference implementation (reflected polynomial 0x82F63B78), which {@link #referenceCrc32c} repeats.
 */
class ProxyHeaderV2Tests {

    private static final String SIG = "0d0a0d0a000d0a515549540a";
    private static final String TCP4_BLOCK = "c00002070a000001c8221538"; // 192.0.2.7 10.0.0.1 51234 5432

    private static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private static String hex(List<ClientOrigin.Tlv> tlvs, boolean crc, InetSocketAddress src, InetSocketAddress dst) {
        ByteBuf buf = ProxyHeaderV2.encode(UnpooledByteBufAllocator.DEFAULT, src, dst, tlvs, crc);
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static String tcp4(List<ClientOrigin.Tlv> tlvs, boolean crc) throws Exception {
        return hex(tlvs, crc, at("192.0.2.7", 51234), at("10.0.0.1", 5432));
    }

    @Test
    void ipv4IsTcp4WithATwelveByteAddressBlock() throws Exception {
        assertThat(tcp4(List.of(), false)).isEqualTo(SIG + "21" + "11" + "000c" + TCP4_BLOCK);
    }

    @Test
    void ipv6IsTcp6WithAThirtySixByteAddressBlock() throws Exception {
        assertThat(hex(List.of(), false, at("::1", 1), at("2001:db8::7", 65535)))
                .isEqualTo(SIG + "21" + "21" + "0024"
                        + "00000000000000000000000000000001"
                        + "20010db8000000000000000000000007"
                        + "0001" + "ffff");
    }

    @Test
    void ipv4MappedAddressesAreSentAsTcp4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        byte[] listener = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        assertThat(hex(
                        List.of(),
                        false,
                        new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), 51234),
                        new InetSocketAddress(Inet6Address.getByAddress(null, listener, -1), 5432)))
                .isEqualTo(SIG + "2111000c" + TCP4_BLOCK);
    }

    @Test
    void mixedFamiliesAreTcp6WithTheIpv4AddressMapped() throws Exception {
        assertThat(hex(List.of(), false, at("192.0.2.9", 1000), at("::1", 2000)))
                .isEqualTo(SIG + "21210024"
                        + "00000000000000000000ffffc0000209"
                        + "00000000000000000000000000000001"
                        + "03e8" + "07d0");
    }

    @Test
    void theProbeHeaderIsLocalWithNoAddressBlock() {
        assertThat(ByteBufUtil.hexDump(ProxyHeaderV2.local())).isEqualTo(SIG + "20" + "00" + "0000");
    }

    @Test
    void authorityCarriesTheHostNameAsUtf8() throws Exception {
        assertThat(tcp4(List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_AUTHORITY, "db.example.com")), false))
                .isEqualTo(SIG + "2111" + "001d" + TCP4_BLOCK + "02" + "000e"
                        + ByteBufUtil.hexDump("db.example.com".getBytes(US_ASCII)));
    }

    @Test
    void alpnCarriesTheProtocolName() throws Exception {
        assertThat(tcp4(List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_ALPN, "h2")), false))
                .isEqualTo(SIG + "2111" + "0011" + TCP4_BLOCK + "01" + "0002" + "6832");
    }

    @Test
    void uniqueIdCarriesTheIdBytes() throws Exception {
        assertThat(tcp4(List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, "abc")), false))
                .isEqualTo(SIG + "2111" + "0012" + TCP4_BLOCK + "05" + "0003" + "616263");
    }

    @Test
    void sslWithoutAClientCertificateHasTheSslFlagANonZeroVerifyTheVersionAndTheCipher() throws Exception {
        ClientOrigin.Tlv ssl = ProxyHeaderV2.ssl(false, false, "TLSv1.3", null, "TLS_AES_128_GCM_SHA256");
        assertThat(tcp4(List.of(ssl), false))
                .isEqualTo(SIG + "2111" + "0037" + TCP4_BLOCK
                        + "20" + "0028"
                        + "01" + "00000001"
                        + "21" + "0007" + ByteBufUtil.hexDump("TLSv1.3".getBytes(US_ASCII))
                        + "23" + "0016" + ByteBufUtil.hexDump("TLS_AES_128_GCM_SHA256".getBytes(US_ASCII)));
    }

    @Test
    void sslWithAVerifiedClientCertificateHasAllFlagsAZeroVerifyAndTheCommonName() throws Exception {
        ClientOrigin.Tlv ssl = ProxyHeaderV2.ssl(true, true, "TLSv1.2", "alice", "ECDHE-RSA-AES128-GCM-SHA256");
        assertThat(tcp4(List.of(ssl), false))
                .isEqualTo(SIG + "2111" + "0044" + TCP4_BLOCK
                        + "20" + "0035"
                        + "07" + "00000000"
                        + "21" + "0007" + ByteBufUtil.hexDump("TLSv1.2".getBytes(US_ASCII))
                        + "22" + "0005" + ByteBufUtil.hexDump("alice".getBytes(US_ASCII))
                        + "23" + "001b"
                        + ByteBufUtil.hexDump("ECDHE-RSA-AES128-GCM-SHA256".getBytes(US_ASCII)));
    }

    @Test
    void crc32cIsTheLastTlvAndCoversTheWholeHeaderWithItsValueZeroed() throws Exception {
        String header = tcp4(List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, "abc")), true);
        assertThat(header)
                .isEqualTo(SIG + "2111" + "0019" + TCP4_BLOCK + "05" + "0003" + "616263" + "03" + "0004" + "b533e5a6");
        byte[] zeroed = ByteBufUtil.decodeHexDump(header.substring(0, header.length() - 8) + "00000000");
        assertThat(String.format("%08x", referenceCrc32c(zeroed))).isEqualTo("b533e5a6");
    }

    @Test
    void theReferenceCrc32cMatchesRfc3720sTestVector() {
        assertThat(referenceCrc32c(new byte[32])).isEqualTo(0x8a9136aaL);
    }

    @Test
    void aHeaderLongerThanTheLengthFieldAllowsIsRefused() throws Exception {
        List<ClientOrigin.Tlv> tlvs = List.of(new ClientOrigin.Tlv(0xE0, new byte[65535]));
        assertThatThrownBy(() -> tcp4(tlvs, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
    }

    @Test
    void nettysStrictDecoderReadsTcp4AndItsTlvs() throws Exception {
        decoded(
                ProxyHeaderV2.encode(
                        UnpooledByteBufAllocator.DEFAULT,
                        at("192.0.2.7", 51234),
                        at("10.0.0.1", 5432),
                        List.of(
                                ProxyHeaderV2.text(ProxyHeaderV2.TYPE_AUTHORITY, "db.example.com"),
                                ProxyHeaderV2.text(ProxyHeaderV2.TYPE_ALPN, "h2"),
                                ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, "abc"),
                                ProxyHeaderV2.ssl(true, true, "TLSv1.3", "alice", "TLS_AES_128_GCM_SHA256"),
                                new ClientOrigin.Tlv(0xEE, new byte[] {1, 2, 3})),
                        true),
                m -> {
                    assertThat(m.command()).isEqualTo(HAProxyCommand.PROXY);
                    assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP4);
                    assertThat(m.sourceAddress()).isEqualTo("192.0.2.7");
                    assertThat(m.destinationAddress()).isEqualTo("10.0.0.1");
                    assertThat(m.sourcePort()).isEqualTo(51234);
                    assertThat(m.destinationPort()).isEqualTo(5432);
                    List<HAProxyTLV> tlvs = m.tlvs();
                    // Netty lists the SSL TLV's sub-TLVs after it as well.
                    assertThat(tlvs)
                            .extracting(t -> t.typeByteValue() & 0xFF)
                            .containsExactly(0x02, 0x01, 0x05, 0x20, 0x21, 0x22, 0x23, 0xEE, 0x03);
                    assertThat(tlvs.get(0).content().toString(US_ASCII)).isEqualTo("db.example.com");
                    assertThat(tlvs.get(1).content().toString(US_ASCII)).isEqualTo("h2");
                    assertThat(tlvs.get(2).content().toString(US_ASCII)).isEqualTo("abc");
                    HAProxySSLTLV ssl = (HAProxySSLTLV) tlvs.get(3);
                    assertThat(ssl.isPP2ClientSSL()).isTrue();
                    assertThat(ssl.isPP2ClientCertConn()).isTrue();
                    assertThat(ssl.isPP2ClientCertSess()).isTrue();
                    assertThat(ssl.verify()).isZero();
                    assertThat(ssl.encapsulatedTLVs())
                            .extracting(
                                    t -> t.typeByteValue() + "=" + t.content().toString(US_ASCII))
                            .containsExactly("33=TLSv1.3", "34=alice", "35=TLS_AES_128_GCM_SHA256");
                    assertThat(ByteBufUtil.getBytes(tlvs.get(7).content())).containsExactly(1, 2, 3);
                });
    }

    @Test
    void nettysStrictDecoderReadsTcp6() throws Exception {
        decoded(
                ProxyHeaderV2.encode(
                        UnpooledByteBufAllocator.DEFAULT, at("2001:db8::7", 1), at("::1", 65535), List.of(), false),
                m -> {
                    assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP6);
                    assertThat(m.sourceAddress()).isEqualTo("2001:db8:0:0:0:0:0:7");
                    assertThat(m.destinationAddress()).isEqualTo("0:0:0:0:0:0:0:1");
                    assertThat(m.sourcePort()).isEqualTo(1);
                    assertThat(m.destinationPort()).isEqualTo(65535);
                    assertThat(m.tlvs()).isEmpty();
                });
    }

    @Test
    void nettysStrictDecoderReadsLocal() {
        decoded(Unpooled.wrappedBuffer(ProxyHeaderV2.local()), m -> {
            assertThat(m.command()).isEqualTo(HAProxyCommand.LOCAL);
            assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.UNKNOWN);
        });
    }

    private static void decoded(ByteBuf header, Consumer<HAProxyMessage> check) {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        channel.writeInbound(header);
        HAProxyMessage message = channel.readInbound();
        try {
            assertThat(message.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
            check.accept(message);
        } finally {
            message.release();
            channel.finishAndReleaseAll();
        }
    }

    /** CRC32C bit by bit (RFC 3720, section B.4; reflected polynomial 0x82F63B78). */
    private static long referenceCrc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc >>> 1) ^ ((crc & 1) != 0 ? 0x82F63B78 : 0);
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }
}
