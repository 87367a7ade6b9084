package dev.gatehouse.dataplane.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.ClientSockets;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.SlowToAccept;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Failed client connections are counted in {@code gatehouse.connection.failures} under their reason, through real
 * sockets: a listener at its connection cap, a backend that does not accept within the connect timeout, and a
 * client that speaks no TLS to a Tls listener. (No healthy server and connect-failed: MetricsIntegrationTests; the
 * TLS handshake timeout: SlowTlsClientFaultTests.)
 */
@SpringBootTest(
        classes = GatehouseApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:gatehouse-failures;DB_CLOSE_DELAY=-1",
            "gatehouse.dataplane.max-connections-per-listener=1",
            "gatehouse.dataplane.connect-timeout=1s",
            "gatehouse.dataplane.drain-timeout=1s"
        })
class ConnectionFailuresIntegrationTests {

    @LocalServerPort
    int apiPort;

    @Autowired
    MeterRegistry registry;

    GatehouseApi api;

    @BeforeEach
    void connectApi() {
        api = new GatehouseApi(apiPort);
    }

    @Test
    void aConnectionBeyondTheListenersCapIsClosedAndCounted() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listen = FreePorts.next();
            TestGateway gw = TestGateway.named("failures-cap")
                    .listen("127.0.0.1", listen)
                    .backends(backend.port(), "127.0.0.1");
            api.apply(gw);
            try (Socket first = ClientSockets.open(listen)) {
                first.getOutputStream().write("hi".getBytes(US_ASCII));
                try (Socket upstream = backend.accept();
                        Socket second = ClientSockets.open(listen)) {
                    ClientSockets.assertEnds(second);
                    eventually(() -> assertThat(failures(gw, "max-connections")).isEqualTo(1));
                }
            }
            assertThat(failures(gw, "connect-failed")).isZero();
        }
    }

    @Test
    void aBackendThatDoesNotAcceptWithinTheConnectTimeoutIsCountedAsConnectTimeout() throws Exception {
        try (SlowToAccept slow = SlowToAccept.start()) {
            int listen = FreePorts.next();
            TestGateway gw = TestGateway.named("failures-connect-timeout")
                    .listen("127.0.0.1", listen)
                    .backends(slow.port(), "127.0.0.1");
            api.apply(gw);
            try (Socket client = ClientSockets.open(listen)) {
                ClientSockets.assertEnds(client);
            }
            eventually(() -> assertThat(failures(gw, "connect-timeout")).isEqualTo(1));
            assertThat(failures(gw, "connect-failed")).isZero();
        }
    }

    /**
     * The client waits after its request, so its connection ends only if Gatehouse closes it: on io_uring without
     * CloseStopsReading, a poll armed while the close waited for its flush held the socket open (decision (bi)).
     */
    @Test
    void aClientThatSpeaksNoTlsToATlsListenerIsCountedAsAFailedHandshake() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority();
                CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listen = FreePorts.next();
            TestGateway gw = TestGateway.named("failures-tls")
                    .listen("127.0.0.1", listen)
                    .backends(backend.port(), "127.0.0.1")
                    .tlsListener(ca.server("gw.test").pfxBase64("pw"), "pw");
            api.apply(gw);
            try (Socket client = ClientSockets.open(listen)) {
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: gw.test\r\n\r\n".getBytes(US_ASCII));
                ClientSockets.assertEnds(client);
            }
            eventually(() -> assertThat(failures(gw, "tls-handshake-failed")).isEqualTo(1));
            // A client that connects and leaves before its handshake is not a failure.
            new Socket("127.0.0.1", listen).close();
            Thread.sleep(500);
            assertThat(failures(gw, "tls-handshake-failed")).isEqualTo(1);
            assertThat(failures(gw, "tls-handshake-timeout")).isZero();
        }
    }

    private double failures(TestGateway gw, String reason) {
        Counter counter = registry.find("gatehouse.connection.failures")
                .tag("gateway", gw.path().toLowerCase(Locale.ROOT))
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static void eventually(ThrowingRunnable check) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(check);
    }
}
