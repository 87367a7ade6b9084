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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running Gatehouse, then started again: while it is away every API call answers
 * 503 ServiceUnavailable with Retry-After within the connection timeout, listeners keep relaying, readiness
 * stays up; once it is back, reads and writes work again without a restart.
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
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
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

            pg.startAgain();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> api.get(gw.path()).status() == 200);
            GatehouseApi.Response after = api.apply(gw.path(), gw.timeout(8).json());
            assertThat(after.json().path("properties").path("provisioningState").asString())
                    .isEqualTo("Succeeded");
            assertRelays(listen, backend);
            // The detail follows the change poll (every second), which may not have run since the database came back.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
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
