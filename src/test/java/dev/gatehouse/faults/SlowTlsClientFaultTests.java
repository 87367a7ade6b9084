package dev.gatehouse.faults;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.ClientSockets;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow TLS clients against the packaged jar: many clients connect to a Tls listener and never send, or stall in the
 * middle of their ClientHello. Each is closed after {@code gatehouse.dataplane.tls-handshake-timeout} and counted in
 * {@code gatehouse.connection.failures} under {@code tls-handshake-timeout}, while a normal TLS client connecting
 * meanwhile is relayed. Both handshake paths: a listener without host names (straight to the handshake) and one
 * chosen by SNI (the ClientHello is read for its server name first).
 */
class SlowTlsClientFaultTests {

    private static final int SILENT = 20;
    private static final int STALLED = 20;
    /** A TLS record header announcing a 512-byte handshake record, then only the start of a ClientHello. */
    private static final byte[] PARTIAL_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc};

    @TempDir
    static Path data;

    static JarProcess jar;
    static GatehouseApi api;

    @BeforeAll
    static void start() throws Exception {
        jar = JarProcess.startServer(
                "fault-slow-tls",
                "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data.toString() + "/"),
                "--gatehouse.dataplane.tls-handshake-timeout=2s");
        api = jar.api();
    }

    @AfterAll
    static void stop() throws Exception {
        jar.close();
    }

    @Test
    void slowClientsOfAListenerWithoutHostNamesAreTimedOutAndCountedWhileANormalClientIsServed() throws Exception {
        slowClientsAreTimedOutAndCountedWhileANormalClientIsServed("slow-tls");
    }

    @Test
    void slowClientsOfAListenerChosenBySniAreTimedOutAndCountedWhileANormalClientIsServed() throws Exception {
        slowClientsAreTimedOutAndCountedWhileANormalClientIsServed("slow-sni", "gw.test");
    }

    private void slowClientsAreTimedOutAndCountedWhileANormalClientIsServed(String name, String... hostNames)
            throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority();
                CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listen = FreePorts.next();
            TestGateway gw = TestGateway.named(name)
                    .listen("127.0.0.1", listen)
                    .backends(backend.port(), "127.0.0.1")
                    .tlsListener(ca.server("gw.test").pfxBase64("pw"), "pw", hostNames);
            api.apply(gw);
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SILENT; i++) {
                    slow.add(ClientSockets.open(listen));
                }
                for (int i = 0; i < STALLED; i++) {
                    Socket s = ClientSockets.open(listen);
                    s.getOutputStream().write(PARTIAL_CLIENT_HELLO);
                    slow.add(s);
                }

                assertANormalTlsClientIsRelayed(ca, listen, backend);

                long started = System.nanoTime();
                for (Socket s : slow) {
                    ClientSockets.assertEnds(s);
                }
                System.out.println("[fault] " + slow.size() + " slow TLS clients (" + name + "): all closed "
                        + (System.nanoTime() - started) / 1_000_000
                        + " ms after a normal TLS client was served (handshake timeout 2 s)");
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            String gateway = "gateway=\"" + gw.path().toLowerCase(Locale.ROOT) + "\"";
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(failures(gateway, "tls-handshake-timeout")).isEqualTo(SILENT + STALLED);
                        assertThat(failures(gateway, "tls-handshake-failed")).isZero();
                    });
        }
    }

    private static void assertANormalTlsClientIsRelayed(TestCertificates ca, int listen, CaptureBackend backend)
            throws Exception {
        try (Socket plain = new Socket("127.0.0.1", listen);
                SSLSocket tls = (SSLSocket)
                        ca.clientContext().getSocketFactory().createSocket(plain, "gw.test", listen, true)) {
            tls.setSoTimeout(10_000);
            tls.startHandshake();
            tls.getOutputStream().write("ping".getBytes(US_ASCII));
            tls.getOutputStream().flush();
            try (Socket upstream = backend.accept()) {
                assertThat(new String(CaptureBackend.readN(upstream, 4), US_ASCII))
                        .isEqualTo("ping");
                upstream.getOutputStream().write("pong".getBytes(US_ASCII));
                assertThat(new String(tls.getInputStream().readNBytes(4), US_ASCII))
                        .isEqualTo("pong");
            }
        }
    }

    /** The value of {@code gatehouse_connection_failures_total} for the gateway and reason, 0 when absent. */
    private static double failures(String gateway, String reason) {
        return api.getRaw("/actuator/prometheus")
                .raw()
                .lines()
                .filter(l -> l.startsWith("gatehouse_connection_failures_total{")
                        && l.contains(gateway)
                        && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
