package dev.gatehouse.dataplane.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ProxyHeaderV2;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.GatehouseIntegrationTest;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.RealReceivers.RealReceiver;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PROXY v2 from Gatehouse to real receivers, strictest first: HAProxy 2.6 ({@code accept-proxy}; it checks the
 * CRC32C and every TLV's bounds, and drops the connection otherwise) answers with the client address and port,
 * the AUTHORITY and the UNIQUE_ID it read; nginx ({@code proxy_protocol}) answers with the v2 addresses; a raw
 * backend hands the exact header to Netty's decoder for the TLVs no receiver here echoes (SSL). Skipped loudly
 * when a receiver is missing; mandatory with {@code -Dgatehouse.interop.required=true}.
 */
@GatehouseIntegrationTest
class ProxyProtocolV2InteropIntegrationTests {

    private static final String HAPROXY_SAMPLES = "%[fc_pp_authority] %[fc_pp_unique_id] ";
    /** The unique ids Gatehouse makes: a 48-bit process prefix, a dash, a counter (ConnectionIds). */
    private static final String UNIQUE_ID = "[0-9a-f]{12}-[0-9a-f]+";

    @LocalServerPort
    int apiPort;

    @Test
    void haproxyReadsTheClientAndTheUniqueIdOfATcpListenerOverIpv4WithACheckedCrc() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        assertHaproxySees("127.0.0.1", "v2-haproxy-v4", null);
    }

    @Test
    void haproxyReadsTheClientAndTheUniqueIdOfATcpListenerOverIpv6WithACheckedCrc() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        assertHaproxySees("::1", "v2-haproxy-v6", null);
    }

    @Test
    void haproxyReadsTheSniOfATlsListenerAsTheAuthority() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            assertHaproxySees("127.0.0.1", "v2-haproxy-tls", ca);
        }
    }

    private void assertHaproxySees(String address, String gatewayName, TestCertificates ca) throws Exception {
        RealReceiver haproxy = RealReceivers.startHaproxyEcho(address, HAPROXY_SAMPLES);
        Set<String> ids = new HashSet<>();
        try (haproxy) {
            int listenPort = FreePorts.next(address);
            TestGateway gw = TestGateway.named(gatewayName)
                    .listen(address, listenPort)
                    .backends(haproxy.port(), address)
                    .enableL4ClientIpPreservation(true);
            if (ca != null) {
                gw.tlsListener(ca.server("db.example.com").pfxBase64("pw"), "pw");
            }
            apply(gw, "UniqueId", "Authority", "Ssl", "Crc32c");
            for (int i = 0; i < 3; i++) {
                try (Socket plain = connect(address, listenPort);
                        Socket client = ca == null
                                ? plain
                                : RealReceivers.tlsOver(plain, ca.clientContext(), "db.example.com")) {
                    client.getOutputStream().write(haproxy.clientRequest().getBytes(US_ASCII));
                    String reply = new String(client.getInputStream().readAllBytes(), US_ASCII);
                    assertThat(reply).as("HAProxy's answer").contains(" 200 ").contains("\r\n\r\n");
                    String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
                    String authority = ca == null ? "" : "db.example.com";
                    assertThat(body)
                            .matches(authority + " " + UNIQUE_ID + " " + address.replace(".", "\\.") + " "
                                    + plain.getLocalPort() + "\n");
                    ids.add(body.split(" ")[1]);
                }
            }
        }
        assertThat(ids).as("a unique id per connection").hasSize(3);
        assertThat(haproxy.log())
                .contains("200")
                .doesNotContain("invalid PROXY")
                .doesNotContain("does not look like a PROXY");
    }

    @Test
    void nginxReadsTheV2AddressesPastTheTlvs() throws Exception {
        RealReceivers.assumeAvailable("nginx");
        for (String address : List.of("127.0.0.1", "::1")) {
            RealReceiver nginx = RealReceivers.startNginx(address);
            try (nginx) {
                int listenPort = FreePorts.next(address);
                apply(
                        TestGateway.named("v2-nginx-" + (address.contains(":") ? "v6" : "v4"))
                                .listen(address, listenPort)
                                .backends(nginx.port(), address)
                                .enableL4ClientIpPreservation(true),
                        "UniqueId",
                        "Crc32c");
                try (Socket client = connect(address, listenPort)) {
                    String reply = new String(client.getInputStream().readAllBytes(), US_ASCII);
                    assertThat(reply).isEqualTo(address + " " + client.getLocalPort() + "\n");
                }
            }
            assertThat(nginx.log()).doesNotContain("broken header");
        }
    }

    @Test
    void haproxyDropsAHeaderWhoseCrcDoesNotMatch() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        RealReceiver haproxy = RealReceivers.startHaproxyEcho("127.0.0.1", HAPROXY_SAMPLES);
        try (haproxy) {
            assertThat(sendDirectly(haproxy, false)).endsWith(" abc 192.0.2.7 51234\n");
            assertThat(sendDirectly(haproxy, true)).doesNotContain("200");
        }
        assertThat(haproxy.log()).contains("192.0.2.7:51234").contains("Received an invalid PROXY protocol header");
    }

    /** A v2 header made by {@link ProxyHeaderV2} with a CRC32C (its last byte flipped when asked), then a GET. */
    private static String sendDirectly(RealReceiver haproxy, boolean corrupt) throws Exception {
        ByteBuf header = ProxyHeaderV2.encode(
                UnpooledByteBufAllocator.DEFAULT,
                new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51234),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), haproxy.port()),
                List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, "abc")),
                true);
        byte[] bytes = ByteBufUtil.getBytes(header);
        header.release();
        if (corrupt) {
            bytes[bytes.length - 1] ^= 1;
        }
        byte[] request = haproxy.clientRequest().getBytes(US_ASCII);
        byte[] both = Arrays.copyOf(bytes, bytes.length + request.length);
        System.arraycopy(request, 0, both, bytes.length, request.length);
        try (Socket s = connect("127.0.0.1", haproxy.port())) {
            // One write: HAProxy may reset a refused connection before a second write would be sent.
            s.getOutputStream().write(both);
            return new String(s.getInputStream().readAllBytes(), US_ASCII);
        } catch (IOException reset) {
            return reset.toString();
        }
    }

    @Test
    void theHeaderOfATlsListenerCarriesTheSniTheTlsFactsAndTheUniqueIdAsNettysDecoderReadsThem() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority();
                CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(
                    TestGateway.named("v2-tlvs-decoded")
                            .listen("127.0.0.1", listenPort)
                            .backends(backend.port(), "127.0.0.1")
                            .enableL4ClientIpPreservation(true)
                            // with hostNames, SNI selects the site (SniHandler); HAProxy's test above has none
                            .tlsListener(ca.server("db.example.com").pfxBase64("pw"), "pw", "db.example.com"),
                    "Alpn",
                    "Authority",
                    "UniqueId",
                    "Ssl",
                    "Crc32c");
            try (Socket plain = connect("127.0.0.1", listenPort);
                    SSLSocket client = RealReceivers.tlsOver(plain, ca.clientContext(), "DB.example.com")) {
                client.getOutputStream().write("x".getBytes(US_ASCII));
                Socket proxied = backend.accept();
                byte[] fixed = CaptureBackend.readN(proxied, 16);
                byte[] rest = CaptureBackend.readN(proxied, ((fixed[14] & 0xFF) << 8 | (fixed[15] & 0xFF)) + 1);
                EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
                decoder.writeInbound(Unpooled.wrappedBuffer(fixed, rest));
                HAProxyMessage message = decoder.readInbound();
                try {
                    assertThat(message.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
                    assertThat(message.sourceAddress()).isEqualTo("127.0.0.1");
                    assertThat(message.sourcePort()).isEqualTo(plain.getLocalPort());
                    assertThat(message.destinationPort()).isEqualTo(listenPort);
                    Map<Integer, String> tlvs = new TreeMap<>();
                    for (HAProxyTLV tlv : message.tlvs()) {
                        tlvs.put(tlv.typeByteValue() & 0xFF, tlv.content().toString(US_ASCII));
                    }
                    // No ALPN: Tls listeners negotiate none (docs/tls.md), so there is no value to send.
                    assertThat(tlvs).containsOnlyKeys(0x02, 0x05, 0x20, 0x21, 0x23, 0x03);
                    assertThat(tlvs.get(0x02))
                            .as("the SNI as the client sent it")
                            .isEqualTo("DB.example.com");
                    assertThat(tlvs.get(0x05)).matches(UNIQUE_ID);
                    assertThat(tlvs.get(0x21)).isEqualTo(client.getSession().getProtocol());
                    assertThat(tlvs.get(0x23)).isNotBlank();
                    HAProxySSLTLV ssl = (HAProxySSLTLV) message.tlvs().stream()
                            .filter(t -> t instanceof HAProxySSLTLV)
                            .findFirst()
                            .orElseThrow();
                    assertThat(ssl.isPP2ClientSSL()).isTrue();
                    assertThat(ssl.isPP2ClientCertConn()).isFalse();
                    assertThat(ssl.verify())
                            .as("no client certificate was verified")
                            .isNotZero();
                } finally {
                    message.release();
                    decoder.finishAndReleaseAll();
                }
                assertThat(rest[rest.length - 1])
                        .as("the client's byte follows the header")
                        .isEqualTo((byte) 'x');
            }
        }
    }

    @Test
    void passThroughTlvsAreLeftOutWhenNothingWasReceivedInFront() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            TestGateway gw = TestGateway.named("v2-pass-through-none")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true);
            ObjectNode doc = gw.json();
            ObjectNode pp = settings(doc).putObject("gatehouseProxyProtocol").put("version", "V2");
            pp.putArray("passThroughTlvTypes").add(0xEE).add(0xEA);
            new GatehouseApi(apiPort).apply(gw.path(), doc);
            try (Socket client = connect("127.0.0.1", listenPort)) {
                Socket proxied = backend.accept();
                byte[] header = CaptureBackend.readN(proxied, 28);
                InetSocketAddress local = (InetSocketAddress) client.getLocalSocketAddress();
                ByteBuf expected = ProxyHeaderV2.encode(
                        UnpooledByteBufAllocator.DEFAULT,
                        local,
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort),
                        List.<ClientOrigin.Tlv>of(),
                        false);
                assertThat(ByteBufUtil.hexDump(header)).isEqualTo(ByteBufUtil.hexDump(expected));
                expected.release();
            }
        }
    }

    private void apply(TestGateway gw, String... tlvs) {
        ObjectNode doc = gw.json();
        ObjectNode pp = settings(doc).putObject("gatehouseProxyProtocol").put("version", "V2");
        ArrayNode list = pp.putArray("tlvs");
        for (String tlv : tlvs) {
            list.add(tlv);
        }
        new GatehouseApi(apiPort).apply(gw.path(), doc);
    }

    private static ObjectNode settings(ObjectNode doc) {
        return (ObjectNode)
                doc.path("properties").path("backendSettingsCollection").get(0).path("properties");
    }

    private static Socket connect(String address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }
}
