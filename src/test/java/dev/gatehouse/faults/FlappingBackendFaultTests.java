package dev.gatehouse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A backend whose health port flaps, up two seconds and down two seconds, under a Tcp probe every second with an
 * unhealthy threshold of one: Gatehouse sees it turn Unhealthy and Healthy again, probes no more often than the
 * interval says (no probe storm on each change), and a client connection established before the flapping keeps
 * relaying every byte, in order, both ways, throughout.
 */
class FlappingBackendFaultTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CYCLES = 5;
    private static final long UP_MILLIS = 2_000;
    private static final long DOWN_MILLIS = 2_000;
    private static final int INTERVAL_SECONDS = 1;

    @TempDir
    Path data;

    @Test
    void aFlappingBackendIsProbedAtTheIntervalAndItsEstablishedConnectionsLoseNoBytes() throws Exception {
        int healthPort = FreePorts.next();
        int listen = FreePorts.next();
        AtomicInteger probes = new AtomicInteger();
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1");
                JarProcess jar = JarProcess.startServer(
                        "fault-flapping",
                        "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data.toString() + "/"),
                        "--gatehouse.dataplane.drain-timeout=1s")) {
            GatehouseApi api = jar.api();
            TestGateway gw = TestGateway.named("flapping")
                    .listen("127.0.0.1", listen)
                    .backends(backend.port(), "127.0.0.1")
                    .timeout(300)
                    .probe(JSON.createObjectNode()
                            .put("protocol", "Tcp")
                            .put("port", healthPort)
                            .put("interval", INTERVAL_SECONDS)
                            .put("timeout", 1)
                            .put("unhealthyThreshold", 1));

            Set<String> seen = new TreeSet<>();
            long upMillis = 0;
            try (ServerSocket health = healthServer(healthPort, probes)) {
                api.apply(gw);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "Healthy".equals(health(api, gw)));
            }
            try (Socket client = new Socket("127.0.0.1", listen);
                    Socket upstream = backend.accept()) {
                client.setSoTimeout(10_000);
                upstream.setSoTimeout(10_000);
                byte sequence = 0;
                int sent = 0;
                probes.set(0);
                for (int cycle = 0; cycle < CYCLES; cycle++) {
                    long down = System.nanoTime();
                    while (System.nanoTime() - down < DOWN_MILLIS * 1_000_000) {
                        sequence = exchange(client, upstream, sequence);
                        sent++;
                        seen.add(health(api, gw));
                    }
                    long up = System.nanoTime();
                    try (ServerSocket health = healthServer(healthPort, probes)) {
                        while (System.nanoTime() - up < UP_MILLIS * 1_000_000) {
                            sequence = exchange(client, upstream, sequence);
                            sent++;
                            seen.add(health(api, gw));
                        }
                    }
                    upMillis += (System.nanoTime() - up) / 1_000_000;
                }
                int probed = probes.get();
                // One round per interval while the port was up, and one more per up phase for the round under way.
                int bound = (int) (upMillis / (INTERVAL_SECONDS * 1000L)) + CYCLES;
                System.out.println("[fault] flapping backend (" + CYCLES + " cycles of " + DOWN_MILLIS + " ms down, "
                        + UP_MILLIS + " ms up, probe every " + INTERVAL_SECONDS + " s): health seen " + seen + "; "
                        + probed + " probes in " + upMillis + " ms up (at most " + bound + " expected); " + sent
                        + " exchanges on the established connection, none lost");
                assertThat(seen).contains("Healthy", "Unhealthy");
                assertThat(probed).isBetween(CYCLES, bound);
            }
            assertThat(jar.log()).doesNotContain("ERROR");
        }
    }

    /**
     * Accepts (counting each probe) and closes at once, on its own thread, until closed. Bound with SO_REUSEADDR:
     * the same port comes and goes.
     */
    private static ServerSocket healthServer(int port, AtomicInteger probes) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        Thread accepter = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket probe = server.accept()) {
                    probes.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        accepter.setDaemon(true);
        accepter.start();
        return server;
    }

    /** Sends 64 bytes each way, numbered on from {@code from}, and checks both sides receive exactly them. */
    private static byte exchange(Socket client, Socket upstream, byte from) throws IOException {
        byte[] out = new byte[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (from + i);
        }
        send(client.getOutputStream(), out);
        assertThat(CaptureBackend.readN(upstream, out.length)).isEqualTo(out);
        send(upstream.getOutputStream(), out);
        assertThat(client.getInputStream().readNBytes(out.length)).isEqualTo(out);
        return (byte) (from + out.length);
    }

    private static void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static String health(GatehouseApi api, TestGateway gw) {
        GatehouseApi.Response r = api.post(gw.path() + "/backendhealth", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode server = r.json()
                .path("backendAddressPools")
                .get(0)
                .path("backendHttpSettingsCollection")
                .get(0)
                .path("servers")
                .get(0);
        return server.path("health").asString();
    }
}
