package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.dataplane.proxy.ProxyHeaders.*;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.ClientSockets;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.FrontProxies;
import dev.gatehouse.testing.FrontProxies.FrontProxy;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.GatehouseIntegrationTest;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ObjectNode;

/**
 * A PROXY header in front of a Gatehouse listener (gatehouseProxyProtocol), from real load balancers: HAProxy
 * ({@code send-proxy-v2}) and nginx ({@code proxy_protocol on}, v1) listen on {@code ::1} and forward to a
 * listener on {@code 127.0.0.1} that trusts {@code 127.0.0.1}; the backend's PROXY v1 header from Gatehouse names
 * the client that connected to the load balancer ({@code ::1} and its port), not the load balancer. Hostile peers
 * (untrusted, truncated, dripping) are closed without disturbing a good connection made meanwhile; client access
 * lists refuse clients by the address the header names, or the peer's without a header; TLVs chosen by the
 * backend settings pass from the header in front to the backend's v2 header.
 */
@GatehouseIntegrationTest
class ProxyInFrontIntegrationTests {

    @LocalServerPort
    int apiPort;

    @Test
    void haproxySendProxyV2InFrontGivesTheBackendTheOriginalClient() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            try (FrontProxy haproxy = FrontProxies.haproxySendProxyV2(listenPort)) {
                applyTrusting("front-haproxy", listenPort, backend, "127.0.0.1/32", null);
                assertBackendSeesClientThrough(haproxy.address(), backend);
            }
        }
    }

    @Test
    void haproxysCrc32cIsCheckedAndAHeaderWhoseChecksumDoesNotMatchIsRefused() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            try (FrontProxy haproxy = FrontProxies.haproxySendProxyV2WithCrc32c(listenPort)) {
                applyTrusting("front-haproxy-crc32c", listenPort, backend, "127.0.0.1/32", null);
                assertBackendSeesClientThrough(haproxy.address(), backend);

                InetSocketAddress listener = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort);
                byte[] forged =
                        sealed(v2(PROXY, TCP4, addresses("203.0.113.20", "127.0.0.1", 41000, listenPort), crc32cTlv()));
                forged[16 + 3] = 21; // the client changed after the checksum: 203.0.113.21
                try (Socket tampered = connectFrom("127.0.0.1", listener)) {
                    tampered.getOutputStream().write(concat(forged, "ping".getBytes(US_ASCII)));
                    assertClosedByGatehouse(tampered);
                }
                assertThat(backend.proxiedConnectionsWithin(1_000))
                        .as("the tampered header reached no backend")
                        .isEmpty();
            }
        }
    }

    @Test
    void nginxProxyProtocolInFrontGivesTheBackendTheOriginalClient() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            try (FrontProxy nginx = FrontProxies.nginxProxyProtocol(listenPort)) {
                applyTrusting("front-nginx", listenPort, backend, "127.0.0.1/32", null);
                assertBackendSeesClientThrough(nginx.address(), backend);
            }
        }
    }

    @Test
    void untrustedTruncatedAndDrippingPeersAreClosedWhileAGoodConnectionIsServed() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            applyTrusting("front-hostile", listenPort, backend, "127.0.0.1/32", null);
            InetSocketAddress listener = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort);
            byte[] header = v2(PROXY, TCP4, addresses("203.0.113.9", "127.0.0.1", 41000, listenPort));
            // Each hostile peer names its own client, so a header the relay wrote for one of them says which.
            byte[] untrustedHeader = v2(PROXY, TCP4, addresses("203.0.113.12", "127.0.0.1", 41000, listenPort));
            byte[] truncatedHeader = v2(PROXY, TCP4, addresses("203.0.113.10", "127.0.0.1", 41000, listenPort));
            byte[] drippingHeader = v2(PROXY, TCP4, addresses("203.0.113.11", "127.0.0.1", 41000, listenPort));

            try (Socket untrusted = connectFrom("127.0.0.2", listener);
                    Socket truncated = connectFrom("127.0.0.1", listener);
                    Socket dripping = connectFrom("127.0.0.1", listener)) {
                untrusted.getOutputStream().write(untrustedHeader);
                truncated.getOutputStream().write(Arrays.copyOf(truncatedHeader, truncatedHeader.length - 5));
                truncated.shutdownOutput();
                dripping.getOutputStream().write(Arrays.copyOf(drippingHeader, 3));

                try (Socket good = connectFrom("127.0.0.1", listener)) {
                    good.getOutputStream().write(concat(header, "ping".getBytes(US_ASCII)));
                    CaptureBackend.Relayed relayed = backend.acceptRelayed();
                    Socket served = relayed.socket();
                    assertThat(relayed.header()).isEqualTo("PROXY TCP4 203.0.113.9 127.0.0.1 41000 " + listenPort);
                    assertThat(new String(CaptureBackend.readN(served, 4), US_ASCII))
                            .isEqualTo("ping");
                    served.getOutputStream().write("pong".getBytes(US_ASCII));
                    assertThat(new String(good.getInputStream().readNBytes(4), US_ASCII))
                            .isEqualTo("pong");
                }
                assertClosedByGatehouse(untrusted);
                assertClosedByGatehouse(truncated);
                for (int i = 3; i < drippingHeader.length - 1; i++) { // one byte every 100 ms: past the 1 s timeout
                    Thread.sleep(100);
                    try {
                        dripping.getOutputStream().write(drippingHeader[i]);
                    } catch (SocketException closed) {
                        break;
                    }
                }
                assertClosedByGatehouse(dripping);
            }
            // Every connection the relay makes for this gateway begins with a PROXY v1 line naming its client;
            // a health probe's (of any gateway in the shared application) carries none, or PROXY UNKNOWN.
            assertThat(backend.proxiedConnectionsWithin(1_000))
                    .as("no hostile peer reached the backend")
                    .isEmpty();
        }
    }

    @Test
    void clientAccessRefusesDeniedClientsByTheirPeerAddressWithoutAHeader() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            TestGateway gw = TestGateway.named("client-access-direct")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1");
            ObjectNode json = gw.json();
            ObjectNode access = listener(json).putObject("gatehouseClientAccess");
            access.putArray("allow").add("127.0.0.0/8");
            access.putArray("deny").add("127.0.0.2/32");
            new GatehouseApi(apiPort).apply(gw.path(), json);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort);

            try (Socket denied = connectFrom("127.0.0.2", address)) {
                assertClosedByGatehouse(denied);
            }
            try (Socket allowed = connectFrom("127.0.0.3", address)) {
                allowed.getOutputStream().write("hi".getBytes(US_ASCII));
                Socket served = backend.accept();
                assertThat(new String(CaptureBackend.readN(served, 2), US_ASCII))
                        .isEqualTo("hi");
            }
        }
    }

    @Test
    void clientAccessAppliesToTheClientTheHeaderNames() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            applyTrusting("client-access-proxied", listenPort, backend, "127.0.0.1/32", "192.0.2.66/32");
            InetSocketAddress listener = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort);

            try (Socket denied = connectFrom("127.0.0.1", listener)) {
                denied.getOutputStream().write(v1("PROXY TCP4 192.0.2.66 127.0.0.1 5000 " + listenPort));
                assertClosedByGatehouse(denied);
            }
            try (Socket allowed = connectFrom("127.0.0.1", listener)) {
                allowed.getOutputStream()
                        .write(concat(
                                v1("PROXY TCP6 ::ffff:192.0.2.67 ::1 5000 " + listenPort), "hi".getBytes(US_ASCII)));
                CaptureBackend.Relayed relayed = backend.acceptRelayed();
                // The client is IPv4 (192.0.2.67), the destination ::1: mixed families are written as TCP6 (api.md).
                assertThat(relayed.header()).startsWith("PROXY TCP6 ::ffff:192.0.2.67 ");
                assertThat(new String(CaptureBackend.readN(relayed.socket(), 2), US_ASCII))
                        .isEqualTo("hi");
            }
        }
    }

    @Test
    void aTlsListenerReadsTheHeaderInCleartextBeforeTheHandshake() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1");
                TestCertificates ca = TestCertificates.newAuthority()) {
            int listenPort = FreePorts.next("127.0.0.1");
            TestGateway gw = TestGateway.named("front-tls")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true)
                    .tlsListener(ca.server("gw.test").pfxBase64("pw"), "pw", "gw.test");
            ObjectNode json = gw.json();
            listener(json)
                    .putObject("gatehouseProxyProtocol")
                    .putArray("trustedSources")
                    .add("127.0.0.1/32");
            new GatehouseApi(apiPort).apply(gw.path(), json);

            try (Socket plain = connectFrom("127.0.0.1", new InetSocketAddress("127.0.0.1", listenPort))) {
                plain.getOutputStream().write(v2(PROXY, TCP6, addresses("2001:db8::5", "2001:db8::1", 4242, 443)));
                try (SSLSocket tls = RealReceivers.tlsOver(plain, ca.clientContext(), "gw.test")) {
                    tls.getOutputStream().write("ping".getBytes(US_ASCII));
                    CaptureBackend.Relayed relayed = backend.acceptRelayed();
                    assertThat(relayed.header()).isEqualTo("PROXY TCP6 2001:db8::5 2001:db8::1 4242 443");
                    assertThat(new String(CaptureBackend.readN(relayed.socket(), 4), US_ASCII))
                            .isEqualTo("ping");
                }
            }
        }
    }

    @Test
    void chosenTlvsOfTheHeaderInFrontPassThroughToAV2Backend() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next("127.0.0.1");
            TestGateway gw = TestGateway.named("front-pass-through")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true);
            ObjectNode json = gw.json();
            listener(json)
                    .putObject("gatehouseProxyProtocol")
                    .putArray("trustedSources")
                    .add("127.0.0.1/32");
            ObjectNode v2 = ((ObjectNode) json.path("properties")
                            .path("backendSettingsCollection")
                            .get(0)
                            .path("properties"))
                    .putObject("gatehouseProxyProtocol")
                    .put("version", "V2");
            v2.putArray("passThroughTlvTypes").add(0xEA);
            new GatehouseApi(apiPort).apply(gw.path(), json);

            byte[] vpce = "vpce-0123456789abcdef0".getBytes(US_ASCII);
            try (Socket lb = connectFrom("127.0.0.1", new InetSocketAddress("127.0.0.1", listenPort))) {
                lb.getOutputStream()
                        .write(concat(
                                v2(
                                        PROXY,
                                        TCP4,
                                        addresses("192.0.2.9", "198.51.100.1", 40000, 5432),
                                        tlv(0xEA, vpce),
                                        tlv(0xE1, "not chosen".getBytes(US_ASCII))),
                                "ping".getBytes(US_ASCII)));
                Socket served = backend.accept();
                EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
                byte[] fixed = CaptureBackend.readN(served, 16);
                int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
                decoder.writeInbound(Unpooled.wrappedBuffer(fixed, CaptureBackend.readN(served, length)));
                HAProxyMessage header = decoder.readInbound();
                try {
                    assertThat(header.sourceAddress() + ":" + header.sourcePort())
                            .isEqualTo("192.0.2.9:40000");
                    assertThat(header.destinationAddress() + ":" + header.destinationPort())
                            .isEqualTo("198.51.100.1:5432");
                    assertThat(header.tlvs()).singleElement().satisfies(tlv -> {
                        assertThat(tlv.typeByteValue()).isEqualTo((byte) 0xEA);
                        assertThat(ByteBufUtil.getBytes(tlv.content())).isEqualTo(vpce);
                    });
                } finally {
                    header.release();
                    decoder.finishAndReleaseAll();
                }
                assertThat(new String(CaptureBackend.readN(served, 4), US_ASCII))
                        .isEqualTo("ping");
            }
        }
    }

    private void applyTrusting(String name, int listenPort, CaptureBackend backend, String trusted, String deny) {
        TestGateway gw = TestGateway.named(name)
                .listen("127.0.0.1", listenPort)
                .backends(backend.port(), "127.0.0.1")
                .enableL4ClientIpPreservation(true);
        ObjectNode json = gw.json();
        ObjectNode proxy = listener(json).putObject("gatehouseProxyProtocol").put("headerTimeoutInSec", 1);
        proxy.putArray("trustedSources").add(trusted);
        if (deny != null) {
            listener(json).putObject("gatehouseClientAccess").putArray("deny").add(deny);
        }
        new GatehouseApi(apiPort).apply(gw.path(), json);
    }

    private static ObjectNode listener(ObjectNode gateway) {
        return (ObjectNode) gateway.path("properties").path("listeners").get(0).path("properties");
    }

    private static void assertBackendSeesClientThrough(InetSocketAddress front, CaptureBackend backend)
            throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Socket client = new Socket()) {
                client.connect(front, 5_000);
                client.setSoTimeout(10_000);
                client.getOutputStream().write("ping".getBytes(US_ASCII));
                CaptureBackend.Relayed relayed = backend.acceptRelayed();
                Socket served = relayed.socket();
                String[] header = relayed.header().split(" ");
                assertThat(header[0] + " " + header[1]).isEqualTo("PROXY TCP6");
                assertThat(InetAddress.getByName(header[2])).isEqualTo(InetAddress.getByName("::1"));
                assertThat(Integer.parseInt(header[4])).isEqualTo(client.getLocalPort());
                assertThat(Integer.parseInt(header[5])).isEqualTo(front.getPort());
                assertThat(new String(CaptureBackend.readN(served, 4), US_ASCII))
                        .isEqualTo("ping");
                served.getOutputStream().write("pong".getBytes(US_ASCII));
                assertThat(new String(client.getInputStream().readNBytes(4), US_ASCII))
                        .isEqualTo("pong");
            }
        }
    }

    private static Socket connectFrom(String source, InetSocketAddress target) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(target, 5_000);
        s.setSoTimeout(ClientSockets.READ_TIMEOUT_MILLIS);
        return s;
    }

    /** Gatehouse ends the connection: end of stream or a reset, within the socket's read timeout. */
    private static void assertClosedByGatehouse(Socket s) throws IOException {
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }
}
