package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's meters as Prometheus scrapes them from the running application: failures counted by reason, and a
 * listener's, pool's and gateway's series gone from the scrape once they are.
 */
class MetricsIntegrationTests extends ApiIntegrationTest {

    @Test
    void aFailureIsCountedByReasonAndTheSeriesOfARemovedListenerAndGatewayLeaveTheScrape() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            int downPort = FreePorts.next();
            TestGateway gw = TestGateway.named("metrics-removal")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .extraListener("down", downPort, FreePorts.next());
            api.apply(gw);
            String gateway = "gateway=\"" + gw.path().toLowerCase(Locale.ROOT) + "\"";

            relayOnce(listenPort, backend);
            try (Socket refused = new Socket("127.0.0.1", downPort)) {
                assertThat(refused.getInputStream().read())
                        .as("closed: no server accepted")
                        .isEqualTo(-1);
            }
            eventually(() -> assertThat(series(gateway, "gatehouse_connection_failures_total"))
                    .anyMatch(s -> s.contains("listener=\"down\"")
                            && s.contains("reason=\"connect-failed\"")
                            && s.endsWith(" 1.0")));
            assertThat(series(gateway, "gatehouse_listener_bytes_total"))
                    .anyMatch(s -> s.contains("listener=\"listener\"") && !s.endsWith(" 0.0"));
            assertThat(series(gateway, "gatehouse_backend_pool_servers"))
                    .anyMatch(s -> s.contains("pool=\"down-pool\""));

            api.apply(gw.withoutExtraListener("down"));
            eventually(() -> assertThat(series(gateway, ""))
                    .as("no series of the removed listener or its pool")
                    .noneMatch(s -> s.contains("listener=\"down\"") || s.contains("pool=\"down-pool\""))
                    .anyMatch(s -> s.contains("listener=\"listener\"")));

            api.delete(gw.path(), "Prefer", "wait=10");
            eventually(() -> assertThat(series(gateway, ""))
                    .as("no series of the deleted gateway but its reconciles")
                    .allMatch(s -> s.startsWith("gatehouse_reconcile")));
        }
    }

    /** One client connection through the listener: a few bytes to the backend and back. */
    private static void relayOnce(int listenPort, CaptureBackend backend) throws Exception {
        try (Socket client = new Socket("127.0.0.1", listenPort)) {
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            try (Socket server = backend.accept()) {
                assertThat(CaptureBackend.readN(server, 4)).asString().isEqualTo("ping");
                server.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                InputStream in = client.getInputStream();
                assertThat(in.readNBytes(4)).asString().isEqualTo("pong");
            }
        }
    }

    /** The scrape's sample lines that carry {@code label} and whose name starts with {@code prefix}. */
    List<String> series(String label, String prefix) throws IOException {
        var scrape = api.getRaw("/actuator/prometheus");
        assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
        return scrape.raw()
                .lines()
                .filter(l -> !l.startsWith("#") && l.startsWith(prefix) && l.contains(label))
                .toList();
    }

    static void eventually(ThrowingRunnable check) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(check);
    }
}
