package dev.gatehouse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.PrivatePostgres;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running Gatehouse, then started again, while a client writes in a loop and a relayed
 * connection carries traffic: while it is away every API call answers 503 ServiceUnavailable with Retry-After within
 * the connection timeout, listeners keep relaying (new connections and the established one), readiness stays up;
 * once it is back, reads and writes work again without a restart, and the last write answered 2xx is stored.
 */
class DatabaseOutageFaultTests {

    @Test
    void whileThePostgresqlDatabaseIsStoppedTheApiAnswers503AtOnceAndListenersKeepServing() throws Exception {
        int listen = FreePorts.next();
        try (PrivatePostgres pg = PrivatePostgres.start();
                CaptureBackend backend = CaptureBackend.start("127.0.0.1");
                JarProcess jar = JarProcess.startServer(
                        "fault-db-outage",
                        "--spring.datasource.url=" + pg.jdbcUrl(),
                        "--spring.datasource.username=" + pg.username(),
                        "--spring.datasource.password=",
                        "--gatehouse.dataplane.drain-timeout=1s")) {
            GatehouseApi api = jar.api();
            TestGateway gw =
                    TestGateway.named("outage").listen("127.0.0.1", listen).backends(backend.port(), "127.0.0.1");
            api.apply(gw);
            Socket established = new Socket("127.0.0.1", listen);
            established.setSoTimeout(10_000);
            Socket upstream = backend.accept();
            upstream.setSoTimeout(10_000);
            Writer writer = new Writer(api.async());
            writer.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.acknowledged > 0);

            pg.stop();

            long started = System.nanoTime();
            GatehouseApi.Response get = api.get(gw.path());
            long getMillis = (System.nanoTime() - started) / 1_000_000;
            started = System.nanoTime();
            GatehouseApi.Response put = api.async().put(gw.path(), gw.timeout(7).json());
            long putMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("[fault] database stopped: GET answered " + get.status() + " in " + getMillis
                    + " ms, PUT " + put.status() + " in " + putMillis + " ms");
            for (GatehouseApi.Response r : new GatehouseApi.Response[] {get, put}) {
                assertThat(r.status()).as(r.toString()).isEqualTo(503);
                assertThat(r.errorCode()).isEqualTo("ServiceUnavailable");
                assertThat(r.header("x-ms-error-code")).hasValue("ServiceUnavailable");
                assertThat(r.header("Retry-After")).hasValue("5");
            }
            // Bounded by spring.datasource.hikari.connection-timeout (2 s), not Hikari's default 30 s.
            assertThat(getMillis).isLessThan(10_000);
            assertThat(putMillis).isLessThan(10_000);

            assertRelays(listen, backend);
            assertExchanges(established, upstream);
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GatehouseApi.Response readiness = api.getRaw("/actuator/health/readiness");
                assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
                assertThat(readiness
                                .json()
                                .path("components")
                                .path("reconciler")
                                .path("details")
                                .path("database")
                                .asString())
                        .as(readiness.toString())
                        .isEqualTo("UNAVAILABLE");
            });
            assertThat(api.getRaw("/actuator/health/liveness").status()).isEqualTo(200);

            // The writer's own requests meet the outage on its thread, a connection timeout (2 s) after ours.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writer.refused > 0);
            int refusedBeforeRestart = writer.refused;
            pg.startAgain();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> api.get(gw.path()).status() == 200);
            GatehouseApi.Response after = api.apply(gw.path(), gw.timeout(8).json());
            assertThat(after.json().path("properties").path("provisioningState").asString())
                    .isEqualTo("Succeeded");
            assertRelays(listen, backend);
            assertExchanges(established, upstream);
            int acknowledgedAfterRestart = writer.acknowledged;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> writer.acknowledged > acknowledgedAfterRestart);
            writer.finish();
            System.out.println(
                    "[fault] database stopped during writes: " + writer.acknowledged + " writes answered 2xx, "
                            + writer.refused + " answered 503 (" + refusedBeforeRestart + " before the restart), "
                            + "statuses " + writer.statuses);
            assertThat(writer.statuses).as("every write is answered 2xx or 503").isSubsetOf(200, 201, 503);
            assertThat(refusedBeforeRestart).isPositive();
            int stored = api.get(writer.gateway.path())
                    .json()
                    .path("properties")
                    .path("backendSettingsCollection")
                    .path(0)
                    .path("properties")
                    .path("timeout")
                    .asInt();
            // The last write answered 2xx, or a later one committed just as the database went away (answered 503).
            assertThat(stored).isGreaterThanOrEqualTo(writer.lastAcknowledgedTimeout);
            established.close();
            upstream.close();
            // The detail follows the change poll (every second), which may not have run since the database came back.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(api.getRaw("/actuator/health/readiness")
                                    .json()
                                    .path("components")
                                    .path("reconciler")
                                    .path("details")
                                    .path("database")
                                    .asString())
                            .isEqualTo("UP"));
            // Our own code logs the outage at WARN (once per task); Spring's TransactionTemplate may log an ERROR
            // of its own when a rollback fails on a connection that was just terminated.
            assertThat(jar.log().lines().filter(l -> l.contains("ERROR") && l.contains("dev.gatehouse.")))
                    .isEmpty();
        }
    }

    /** Bytes both ways on a connection established before the outage. */
    private static void assertExchanges(Socket client, Socket upstream) throws Exception {
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(CaptureBackend.readN(upstream, 4), StandardCharsets.US_ASCII))
                .isEqualTo("ping");
        upstream.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(CaptureBackend.readN(client, 4), StandardCharsets.US_ASCII))
                .isEqualTo("pong");
    }

    /** PUTs one gateway in a loop, each write with the next timeout, and keeps what each was answered. */
    private static final class Writer extends Thread {
        final TestGateway gateway = TestGateway.named("outage-writes")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        final Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        private final GatehouseApi api;
        private volatile boolean running = true;
        volatile int acknowledged;
        volatile int refused;
        volatile int lastAcknowledgedTimeout;

        Writer(GatehouseApi api) {
            super("outage-writer");
            setDaemon(true);
            this.api = api;
        }

        @Override
        public void run() {
            for (int timeout = 1; running; timeout++) {
                GatehouseApi.Response r =
                        api.put(gateway.path(), gateway.timeout(timeout).json());
                statuses.add(r.status());
                if (r.status() / 100 == 2) {
                    lastAcknowledgedTimeout = timeout;
                    acknowledged++;
                } else if (r.status() == 503) {
                    refused++;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join(30_000);
            assertThat(isAlive()).isFalse();
        }
    }

    private static void assertRelays(int listen, CaptureBackend backend) throws Exception {
        try (Socket client = new Socket("127.0.0.1", listen)) {
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            try (Socket server = backend.accept()) {
                assertThat(new String(CaptureBackend.readN(server, 4), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");
                server.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(CaptureBackend.readN(client, 4), StandardCharsets.US_ASCII))
                        .isEqualTo("pong");
            }
        }
    }
}
