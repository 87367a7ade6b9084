package dev.gatehouse.dataplane.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.GatehouseIntegrationTest;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.RealReceivers.RealReceiver;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Real PROXY protocol receivers behind Gatehouse: nginx ({@code listen ... proxy_protocol}) and HAProxy
 * ({@code bind ... accept-proxy}) parse our header and answer with the client address and port they
 * read from it, which must be the test client's own. Their logs must show no rejected header. Skipped
 * loudly when the binaries are missing; mandatory in CI ({@code -Dgatehouse.interop.required=true}).
 */
@GatehouseIntegrationTest
class RealReceiverInteropIntegrationTests {

    @LocalServerPort
    int apiPort;

    @Test
    void nginxReportsTheRealClientAddressAndPort() throws Exception {
        RealReceivers.assumeAvailable("nginx");
        assertReceiverSeesClient(RealReceivers.startNginx("127.0.0.1"), "127.0.0.1", "interop-nginx-v4");
    }

    @Test
    void nginxReportsTheRealIpv6ClientAddressAndPort() throws Exception {
        RealReceivers.assumeAvailable("nginx");
        assertReceiverSeesClient(RealReceivers.startNginx("::1"), "::1", "interop-nginx-v6");
    }

    @Test
    void haproxyReportsTheRealClientAddressAndPort() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        assertReceiverSeesClient(RealReceivers.startHaproxy("127.0.0.1"), "127.0.0.1", "interop-haproxy-v4");
    }

    @Test
    void haproxyReportsTheRealIpv6ClientAddressAndPort() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        assertReceiverSeesClient(RealReceivers.startHaproxy("::1"), "::1", "interop-haproxy-v6");
    }

    @Test
    void nginxWithTlsReportsTheClientAndOurSniAfterTheHeaderThenHandshake() throws Exception {
        RealReceivers.assumeAvailable("nginx");
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            RealReceiver nginx = RealReceivers.startNginxTls("127.0.0.1", ca.server("origin.test"));
            assertReceiverSeesClient(
                    nginx,
                    "127.0.0.1",
                    "interop-nginx-tls",
                    gw -> gw.tlsBackend(ca.caDerBase64(), "origin.test"),
                    " origin.test");
        }
    }

    @Test
    void haproxyWithTlsReportsTheClientAndOurSniAfterTheHeaderThenHandshake() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            RealReceiver haproxy = RealReceivers.startHaproxyTls("::1", ca.server("origin.test"));
            assertReceiverSeesClient(
                    haproxy,
                    "::1",
                    "interop-haproxy-tls",
                    gw -> gw.tlsBackend(ca.caPemText(), "origin.test"),
                    " origin.test");
        }
    }

    private void assertReceiverSeesClient(RealReceiver receiver, String address, String gatewayName) throws Exception {
        assertReceiverSeesClient(receiver, address, gatewayName, gw -> gw, "");
    }

    private void assertReceiverSeesClient(
            RealReceiver receiver,
            String address,
            String gatewayName,
            UnaryOperator<TestGateway> backendTls,
            String sniSuffix)
            throws Exception {
        String log;
        try (receiver) {
            int listenPort = FreePorts.next(address);
            TestGateway gw = backendTls.apply(TestGateway.named(gatewayName)
                    .listen(address, listenPort)
                    .backends(receiver.port(), address)
                    .enableL4ClientIpPreservation(true));
            new GatehouseApi(apiPort).apply(gw);
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(InetAddress.getByName(address), listenPort), 5_000);
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write(receiver.clientRequest().getBytes(US_ASCII));
                    String reply = new String(client.getInputStream().readAllBytes(), US_ASCII);
                    assertThat(reply).endsWith(address + " " + client.getLocalPort() + sniSuffix + "\n");
                }
            }
        }
        log = receiver.log();
        assertThat(log)
                .doesNotContain("broken header")
                .doesNotContain("invalid PROXY")
                .doesNotContain("does not look like a PROXY")
                .doesNotContain("SSL handshake failure")
                .doesNotContain("SSL_do_handshake() failed");
    }
}
