package dev.gatehouse.gateway.replicas;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two Gatehouse processes (the packaged jar) on one PostgreSQL database, as replicas behind a load
 * balancer: a write through either is applied by both, both serve the listener (SO_REUSEPORT), child writes
 * split across them are all kept, and when one is killed in the middle of writes the other stays
 * consistent and stops waiting for it once its lease expires.
 *
 * Needs PostgreSQL (GATEHOUSE_TEST_DATASOURCE_URL; CI's second pass sets it): an embedded H2 file is for one
 * process. Each run uses its own schema, so the shared test application (a third instance) is not involved.
 */
class ReplicasIntegrationTests {

    private static final String URL = System.getenv("GATEHOUSE_TEST_DATASOURCE_URL");
    private static final String USER = System.getenv().getOrDefault("GATEHOUSE_TEST_DATASOURCE_USERNAME", "");
    private static final String PASSWORD = System.getenv().getOrDefault("GATEHOUSE_TEST_DATASOURCE_PASSWORD", "");

    private final String schema =
            "replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<JarProcess> replicas = new ArrayList<>();
    private ServerSocket echo;

    @BeforeEach
    void needsPostgres() throws IOException {
        boolean postgres = URL != null && URL.startsWith("jdbc:postgresql:");
        if (!postgres) {
            System.err.println("*** SKIPPED *** ReplicasIntegrationTests: two replicas need a shared PostgreSQL; set "
                    + "GATEHOUSE_TEST_DATASOURCE_URL (CI's PostgreSQL pass does)");
        }
        Assumptions.assumeTrue(postgres, "two replicas need PostgreSQL (GATEHOUSE_TEST_DATASOURCE_URL)");
        echo = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        daemon(this::serveEcho);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (JarProcess replica : replicas) {
            replica.close();
        }
        if (echo != null) {
            echo.close();
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
                c.createStatement().execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    /** Echoes each line back, after the PROXY header line when there is one. */
    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                daemon(() -> {
                    try (s;
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "replicas-echo");
        t.setDaemon(true);
        t.start();
    }

    /** Starts one replica and waits until it is ready (every stored gateway applied). */
    private GatehouseApi replica(String name) throws Exception {
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        JarProcess replica = JarProcess.startServer(
                "replica-" + schema + "-" + name,
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--spring.flyway.schemas=" + schema,
                "--gatehouse.instance.id=" + name,
                "--gatehouse.instance.heartbeat=300ms",
                "--gatehouse.instance.lease=3s",
                "--gatehouse.reconcile.poll-interval=200ms",
                "--gatehouse.dataplane.reuse-port=true",
                "--gatehouse.dataplane.drain-timeout=1s",
                "--logging.level.root=WARN");
        replicas.add(replica);
        return replica.api();
    }

    private static String roundTrip(int port, String line) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), US_ASCII);
        }
    }

    private static JsonNode instancesOf(GatehouseApi api, String path) {
        return api.get(path).json().path("properties").path("instances");
    }

    @Test
    void twoReplicasServeOneListenerKeepEveryWriteAndSurviveTheDeathOfOne() throws Exception {
        GatehouseApi a = replica("replica-a");
        GatehouseApi b = replica("replica-b");
        int listen = FreePorts.next();
        TestGateway gw =
                TestGateway.named("replicated").listen("127.0.0.1", listen).backends(echo.getLocalPort(), "127.0.0.1");

        // A write through A is Succeeded only once both applied it; B shows both instances' status.
        GatehouseApi.Response put = a.put(gw.path(), gw.json());
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Succeeded");
        long generation = put.json().path("properties").path("generation").asLong();
        JsonNode instances = instancesOf(b, gw.path());
        assertThat(instances).hasSize(2);
        for (JsonNode i : instances) {
            assertThat(i.path("appliedGeneration").asLong()).isEqualTo(generation);
            assertThat(i.path("provisioningState").asString()).isEqualTo("Succeeded");
        }
        for (int i = 0; i < 20; i++) {
            assertThat(roundTrip(listen, "hello " + i)).isEqualTo("hello " + i + "\n");
        }

        // 16 concurrent child writes, split across the two replicas: none is lost.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<GatehouseApi.Response>> writes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            GatehouseApi via = i % 2 == 0 ? a : b;
            String probe =
                    "{\"properties\":{\"protocol\":\"Tcp\",\"interval\":30,\"timeout\":30,\"unhealthyThreshold\":3}}";
            int n = i;
            writes.add(pool.submit(() -> via.async().put(gw.path() + "/probes/p" + n, probe)));
        }
        for (Future<GatehouseApi.Response> w : writes) {
            assertThat(w.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        JsonNode probes = a.get(gw.path() + "/probes").json().path("value");
        assertThat(probes.size()).isEqualTo(17); // the gateway's own probe and the 16 new ones

        // Kill A while writes are going to it; B stays consistent and keeps serving.
        AtomicInteger lateWrites = new AtomicInteger();
        Future<?> writing = pool.submit(() -> {
            for (int i = 0; i < 200; i++) {
                try {
                    a.async()
                            .put(
                                    gw.path() + "/probes/late" + (i % 4),
                                    "{\"properties\":{\"protocol\":\"Tcp\",\"interval\":" + (10 + i % 50) + "}}");
                    lateWrites.incrementAndGet();
                } catch (RuntimeException e) {
                    return; // A is gone
                }
            }
        });
        // The writes are under way (the first ones answered) when A dies, however slow the machine.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lateWrites.get() >= 3 || writing.isDone());
        replicas.get(0).kill();
        writing.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        GatehouseApi.Response after = b.get(gw.path());
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().path("properties").path("probes").size()).isBetween(17, 21);
        assertThat(roundTrip(listen, "still here")).isEqualTo("still here\n");

        // B stops waiting for A once A's lease has expired: a write through B succeeds on B alone.
        TestGateway changed = gw.timeout(30);
        for (JsonNode p : after.json().path("properties").path("probes")) {
            if (!p.path("name").asString().equals("probe")) {
                b.delete(gw.path() + "/probes/" + p.path("name").asString());
            }
        }
        GatehouseApi.Response last = b.put(gw.path(), changed.json(), "Prefer", "wait=20");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> "Succeeded"
                        .equals(b.get(gw.path())
                                .json()
                                .path("properties")
                                .path("provisioningState")
                                .asString()));
        JsonNode alone = instancesOf(b, gw.path());
        assertThat(alone).hasSize(1);
        assertThat(alone.get(0).path("instance").asString().toLowerCase(Locale.ROOT))
                .isEqualTo("replica-b");
        assertThat(last.status()).isEqualTo(200);
        assertThat(roundTrip(listen, "after the change")).isEqualTo("after the change\n");
    }
}
