package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.testing.CaptureBackend.readN;
import static dev.gatehouse.testing.CaptureBackend.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The product promise, end to end through the running application: PUT a document over HTTP, connect
 * to the listener over TCP, and look at the exact bytes a raw backend receives.
 */
class ProxyEndToEndIntegrationTests extends ApiIntegrationTest {

    private void apply(TestGateway gw) {
        api.apply(gw);
    }

    private static Socket connect(String address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 5_000);
        s.setSoTimeout(30_000);
        return s;
    }

    @Test
    void backendReceivesProxyV1HeaderWithTheClientsIpv4AddressThenTheClientsBytes() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-v4")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true));
            try (Socket client = connect("127.0.0.1", listenPort)) {
                client.getOutputStream().write("hello".getBytes(US_ASCII));
                client.shutdownOutput();
                Socket upstream = backend.accept();
                String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort + "\r\n";
                assertThat(new String(readToEnd(upstream), US_ASCII)).isEqualTo(expected + "hello");
            }
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void everyConnectionIsMeteredAndAccessLogged(CapturedOutput output) throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            TestGateway gw = TestGateway.named("e2e-metered")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1");
            apply(gw);
            int clientPort;
            try (Socket client = connect("127.0.0.1", listenPort)) {
                clientPort = client.getLocalPort();
                client.getOutputStream().write("12345".getBytes(US_ASCII));
                client.shutdownOutput();
                Socket upstream = backend.accept();
                assertThat(readToEnd(upstream)).hasSize(5);
                upstream.getOutputStream().write("abc".getBytes(US_ASCII));
                upstream.close();
                assertThat(readToEnd(client)).hasSize(3);
            }
            String gateway = gw.path().toLowerCase();
            // Metered and logged once the proxy has seen both sides close, after the client saw its end.
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var in = api.getRaw(
                        "/actuator/metrics/gatehouse.connection.bytes?tag=gateway:" + gateway + "&tag=direction:in");
                assertThat(in.status()).isEqualTo(200);
                assertThat(in.json()
                                .path("measurements")
                                .valueStream()
                                .filter(m -> m.path("statistic").asString().equals("TOTAL"))
                                .mapToDouble(m -> m.path("value").asDouble())
                                .sum())
                        .isEqualTo(5.0);
                assertThat(output.getOut())
                        .contains("client=127.0.0.1:" + clientPort + " gateway=" + gateway
                                + " listener=listener backend=127.0.0.1:" + backend.port() + " bytes_in=5 bytes_out=3");
            });
        }
    }

    @Test
    void theHeaderArrivesWholeInTheFirstSegmentBeforeAnyClientByte() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-segment")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true));
            try (Socket client = connect("127.0.0.1", listenPort)) {
                Socket upstream = backend.accept();
                byte[] first = new byte[256];
                int n = upstream.getInputStream().read(first);
                String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort + "\r\n";
                assertThat(new String(first, 0, n, US_ASCII)).isEqualTo(expected);
            }
        }
    }

    @Test
    void ipv6ClientsGetATcp6HeaderWithCanonicalAddresses() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("::1")) {
            int listenPort = FreePorts.next("::1");
            apply(TestGateway.named("e2e-v6")
                    .listen("::1", listenPort)
                    .backends(backend.port(), "::1")
                    .enableL4ClientIpPreservation(true));
            try (Socket client = connect("::1", listenPort)) {
                client.getOutputStream().write("six".getBytes(US_ASCII));
                client.shutdownOutput();
                String expected = "PROXY TCP6 ::1 ::1 " + client.getLocalPort() + " " + listenPort + "\r\n";
                assertThat(new String(readToEnd(backend.accept()), US_ASCII)).isEqualTo(expected + "six");
            }
        }
    }

    @Test
    void withoutClientIpPreservationTheBackendReceivesOnlyTheClientsBytes() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-noheader")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(false));
            try (Socket client = connect("127.0.0.1", listenPort)) {
                client.getOutputStream().write("plain".getBytes(US_ASCII));
                client.shutdownOutput();
                assertThat(new String(readToEnd(backend.accept()), US_ASCII)).isEqualTo("plain");
            }
        }
    }

    @Test
    void aProxyHeaderSentByTheClientIsNotParsedButPassedOnAsData() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-passthrough")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true));
            String spoofed = "PROXY TCP4 203.0.113.9 198.51.100.1 4444 80\r\nGET /";
            try (Socket client = connect("127.0.0.1", listenPort)) {
                client.getOutputStream().write(spoofed.getBytes(US_ASCII));
                client.shutdownOutput();
                String ours = "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort + "\r\n";
                assertThat(new String(readToEnd(backend.accept()), US_ASCII)).isEqualTo(ours + spoofed);
            }
        }
    }

    @Test
    void relays64MebibytesEachWayByteExactWithHalfCloseInBothDirections() throws Exception {
        int size = 64 * 1024 * 1024;
        byte[] up = new byte[size];
        byte[] down = new byte[size];
        new Random(1).nextBytes(up);
        new Random(2).nextBytes(down);
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-bulk")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true));
            // Own threads: the common pool may have a single thread on a 2-core machine, and these must all run at
            // once.
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try (Socket client = connect("127.0.0.1", listenPort)) {
                CompletableFuture<Void> send = CompletableFuture.runAsync(() -> writeAndHalfClose(client, up), threads);
                Socket upstream = backend.accept();
                String header = "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort + "\r\n";
                CompletableFuture<Void> reply =
                        CompletableFuture.runAsync(() -> writeAndHalfClose(upstream, down), threads);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> drain(client), threads);

                assertThat(new String(readN(upstream, header.length()), US_ASCII))
                        .isEqualTo(header);
                byte[] atBackend = readToEnd(upstream);
                send.get(60, TimeUnit.SECONDS);
                reply.get(60, TimeUnit.SECONDS);
                byte[] atClient = received.get(60, TimeUnit.SECONDS);

                assertThat(atBackend.length).isEqualTo(size);
                assertThat(sha256(atBackend)).isEqualTo(sha256(up));
                assertThat(atClient.length).isEqualTo(size);
                assertThat(sha256(atClient)).isEqualTo(sha256(down));
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-halfclose")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1"));
            try (Socket client = connect("127.0.0.1", listenPort)) {
                client.getOutputStream().write("request".getBytes(US_ASCII));
                client.shutdownOutput();
                Socket upstream = backend.accept();
                assertThat(new String(readToEnd(upstream), US_ASCII)).isEqualTo("request");
                // The client finished sending; the backend's answer must still reach it.
                upstream.getOutputStream().write("response".getBytes(US_ASCII));
                upstream.shutdownOutput();
                assertThat(new String(readToEnd(client), US_ASCII)).isEqualTo("response");
            }
        }
    }

    @Test
    void aBackendThatHangsUpFirstStillReceivesWhatTheClientSendsAfterwards() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-halfclose-backend-first")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1"));
            try (Socket client = connect("127.0.0.1", listenPort)) {
                client.getOutputStream().write("request".getBytes(US_ASCII));
                Socket upstream = backend.accept();
                assertThat(new String(readN(upstream, "request".length()), US_ASCII))
                        .isEqualTo("request");
                // The backend answers and ends its output first, as an HTTP/1.0 server does.
                upstream.getOutputStream().write("response".getBytes(US_ASCII));
                upstream.shutdownOutput();
                assertThat(new String(readToEnd(client), US_ASCII)).isEqualTo("response");
                // The client's later bytes and its end of input must still reach the backend, in that order.
                client.getOutputStream().write(" and more".getBytes(US_ASCII));
                client.shutdownOutput();
                assertThat(new String(readToEnd(upstream), US_ASCII)).isEqualTo(" and more");
            }
        }
    }

    @Test
    void connectionsAreSpreadRoundRobinOverThePool() throws Exception {
        int port = FreePorts.next();
        try (CaptureBackend a = CaptureBackend.start("127.0.0.1", port);
                CaptureBackend b = CaptureBackend.start("127.0.0.2", port)) {
            int listenPort = FreePorts.next();
            apply(TestGateway.named("e2e-rr").listen("127.0.0.1", listenPort).backends(port, "127.0.0.1", "127.0.0.2"));
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                try (Socket client = connect("127.0.0.1", listenPort)) {
                    client.getOutputStream().write('x');
                    client.shutdownOutput();
                    order.append(whichAccepts(a, b));
                }
            }
            assertThat(order.toString()).isIn("ababab", "bababa");
        }
    }

    @Test
    void aRefusedConnectTriesTheNextServer() throws Exception {
        int dead = FreePorts.next("127.0.0.3");
        try (CaptureBackend live = CaptureBackend.start("127.0.0.1", dead)) {
            int listenPort = FreePorts.next();
            // 127.0.0.3:dead refuses; 127.0.0.1:dead is the live server.
            apply(TestGateway.named("e2e-failover")
                    .listen("127.0.0.1", listenPort)
                    .backends(dead, "127.0.0.3", "127.0.0.1"));
            for (int i = 0; i < 4; i++) {
                try (Socket client = connect("127.0.0.1", listenPort)) {
                    client.getOutputStream().write(("n" + i).getBytes(US_ASCII));
                    client.shutdownOutput();
                    assertThat(new String(readToEnd(live.accept()), US_ASCII)).isEqualTo("n" + i);
                }
            }
        }
    }

    @Test
    void whenNoServerAcceptsTheClientIsClosed() throws Exception {
        int dead = FreePorts.next();
        int listenPort = FreePorts.next();
        apply(TestGateway.named("e2e-alldead").listen("127.0.0.1", listenPort).backends(dead, "127.0.0.1"));
        try (Socket client = connect("127.0.0.1", listenPort)) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aListenerOnAPortInUseFailsWithTheAddressAndPortNamed() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int taken = squatter.getLocalPort();
            TestGateway gw = TestGateway.named("e2e-portinuse")
                    .listen("127.0.0.1", taken)
                    .backends(1, "127.0.0.1");
            var r = api.put(gw.path(), gw.json());
            assertThat(r.status()).isEqualTo(201);
            var props = r.json().path("properties");
            assertThat(props.path("provisioningState").asString()).isEqualTo("Failed");
            assertThat(props.path("provisioningError").path("message").asString())
                    .contains("listener")
                    .contains("127.0.0.1:" + taken);
            assertThat(props.path("provisioningError")
                            .path("details")
                            .get(0)
                            .path("code")
                            .asString())
                    .isEqualTo("ListenerBindFailed");
            assertThat(props.path("provisioningError")
                            .path("details")
                            .get(0)
                            .path("target")
                            .asString())
                    .isEqualTo("properties.listeners[0]");
        }
    }

    @Test
    void deletingTheGatewayClosesItsListener() throws Exception {
        int listenPort = FreePorts.next();
        TestGateway gw =
                TestGateway.named("e2e-delete").listen("127.0.0.1", listenPort).backends(1, "127.0.0.1");
        apply(gw);
        connect("127.0.0.1", listenPort).close();
        assertThat(api.delete(gw.path()).status()).isEqualTo(200);
        assertThatThrownBy(() -> connect("127.0.0.1", listenPort)).isInstanceOf(ConnectException.class);
    }

    /**
     * 'a' or 'b': the backend that received the next connection, watching both for up to 20 s (neither is asked
     * first for long, so a slow accept on a loaded machine cannot be taken for the other backend's turn).
     */
    private static char whichAccepts(CaptureBackend a, CaptureBackend b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (a.poll(20) != null) {
                return 'a';
            }
            if (b.poll(20) != null) {
                return 'b';
            }
        }
        throw new AssertionError("neither backend received the connection within 20 s");
    }

    private static void writeAndHalfClose(Socket s, byte[] data) {
        try {
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < data.length; off += 65536) {
                out.write(data, off, Math.min(65536, data.length - off));
            }
            out.flush();
            s.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] drain(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
