package dev.gatehouse.dataplane.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ProxyProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The header of one connection: which TLVs a route's choice yields for a connection without TLS. */
class BackendProxyHeaderTests {

    private static final String V2_TCP4 = "0d0a0d0a000d0a515549540a" + "2111";
    private static final String BLOCK = "c00002070a000001c8221538"; // 192.0.2.7 10.0.0.1 51234 5432

    private static ClientOrigin origin(List<ClientOrigin.Tlv> tlvs) throws Exception {
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51234);
        InetSocketAddress listener = new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 5432);
        InetSocketAddress balancer = new InetSocketAddress(InetAddress.getByName("10.9.9.9"), 40000);
        return new ClientOrigin(balancer, client, listener, tlvs);
    }

    private static String header(ProxyProtocol protocol, ClientOrigin origin) {
        EmbeddedChannel tcpClient = new EmbeddedChannel();
        ByteBuf buf = BackendProxyHeader.encode(UnpooledByteBufAllocator.DEFAULT, protocol, origin, tcpClient, "id1");
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
            tcpClient.finishAndReleaseAll();
        }
    }

    @Test
    void v1IsTheTextLineForTheClientFromTheOrigin() throws Exception {
        assertThat(header(ProxyProtocol.V1, origin(List.of())))
                .isEqualTo(ByteBufUtil.hexDump("PROXY TCP4 192.0.2.7 10.0.0.1 51234 5432\r\n".getBytes(US_ASCII)));
    }

    @Test
    void aConnectionWithoutTlsSendsNoAuthorityAlpnOrSsl() throws Exception {
        Set<ProxyProtocol.Tlv> tls =
                EnumSet.of(ProxyProtocol.Tlv.AUTHORITY, ProxyProtocol.Tlv.ALPN, ProxyProtocol.Tlv.SSL);
        assertThat(header(new ProxyProtocol(ProxyProtocol.Version.V2, tls, List.of()), origin(List.of())))
                .isEqualTo(V2_TCP4 + "000c" + BLOCK);
    }

    @Test
    void passThroughCopiesTheListedTypesInTheirOrderAfterGatehousesOwnTlvs() throws Exception {
        ClientOrigin origin = origin(List.of(
                new ClientOrigin.Tlv(0xEE, "a".getBytes(US_ASCII)),
                new ClientOrigin.Tlv(0xE1, "x".getBytes(US_ASCII)),
                new ClientOrigin.Tlv(0xEA, "b".getBytes(US_ASCII)),
                new ClientOrigin.Tlv(0xEE, "c".getBytes(US_ASCII))));
        ProxyProtocol protocol = new ProxyProtocol(
                ProxyProtocol.Version.V2, EnumSet.of(ProxyProtocol.Tlv.UNIQUE_ID), List.of(0xEA, 0xEE));
        assertThat(header(protocol, origin))
                .isEqualTo(V2_TCP4 + "001e" + BLOCK + "05" + "0003" + "696431" + "ea" + "0001" + "62" + "ee" + "0001"
                        + "61" + "ee" + "0001" + "63");
    }
}
