package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.testing.CaptureBackend.readToEnd;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code gatehouse.dataplane.accept-per-event-loop}: a listener is one SO_REUSEPORT socket per event loop. Every
 * connection, whichever socket the kernel hands it to, is relayed with its header; and when the listener goes,
 * every one of its sockets goes, so that the port is free again for anyone.
 */
@SpringBootTest(
        classes = GatehouseApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:gatehouse-accept-per-loop;DB_CLOSE_DELAY=-1",
            "gatehouse.dataplane.accept-per-event-loop=true",
            "gatehouse.dataplane.threads=4",
            "gatehouse.dataplane.drain-timeout=1s"
        })
class AcceptPerEventLoopIntegrationTests {

    @LocalServerPort
    int apiPort;

    GatehouseApi api;

    @BeforeEach
    void connectApi() {
        api = new GatehouseApi(apiPort);
    }

    @Test
    void everyConnectionIsRelayedWithItsHeaderWhicheverSocketAcceptedIt() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            api.apply(TestGateway.named("per-loop")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true));
            // Connections from many source ports: the kernel spreads them over the four sockets by their hash.
            for (int i = 0; i < 40; i++) {
                try (Socket client = new Socket("127.0.0.1", listenPort)) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write(("n" + i).getBytes(US_ASCII));
                    client.shutdownOutput();
                    try (Socket upstream = backend.accept()) {
                        String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort
                                + "\r\n" + "n" + i;
                        assertThat(new String(readToEnd(upstream), US_ASCII)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void removingTheListenerClosesEveryOneOfItsSockets() throws Exception {
        int listenPort = FreePorts.next();
        TestGateway gw = TestGateway.named("per-loop-removed")
                .listen("127.0.0.1", listenPort)
                .backends(9, "127.0.0.1");
        api.apply(gw);
        assertThat(api.delete(gw.path()).status()).isIn(200, 202, 204);
        // A plain socket (no SO_REUSEPORT) can bind the port only once none of the four is left.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (ServerSocket plain = new ServerSocket()) {
                plain.bind(new InetSocketAddress("127.0.0.1", listenPort));
            } catch (IOException stillBound) {
                throw new AssertionError("port " + listenPort + " is still bound", stillBound);
            }
        });
    }
}
