package dev.gatehouse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the packaged jar while eight clients write, on the default embedded database (the default
 * JDBC URL of application.yml, pointed at a temporary directory): every write that was answered 200/201 is
 * there after the restart, the listeners serve again, and no operation stays InProgress: neither the acknowledged
 * ones nor those of writes committed while their answer was lost with the process (read from the database itself
 * once the restarted process has stopped).
 */
class CrashDurabilityFaultTests {

    private static final int CLIENTS = 8;

    @TempDir
    Path data;

    /** What one client was last told: the etag and the timeout value of its last answered write. */
    private record Acknowledged(
            String gateway, int listenPort, int writes, int timeout, String etag, String operation) {}

    @Test
    void everyAnsweredWriteSurvivesKill9AndNoOperationStaysInProgress() throws Exception {
        List<Acknowledged> acknowledged = new ArrayList<>();
        try (JarProcess jar = JarProcess.startServer("fault-crash-1", args())) {
            GatehouseApi api = jar.api().async();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicIntegerArray answered = new AtomicIntegerArray(CLIENTS);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Acknowledged>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String name = "crash-" + c;
                int listen = FreePorts.next();
                int client = c;
                results.add(clients.submit(
                        () -> writeUntilKilled(api, name, listen, running, () -> answered.incrementAndGet(client))));
            }
            // At least 4 s of writes, and until every client has had two answered (slower on a loaded machine).
            Awaitility.await()
                    .pollDelay(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(60))
                    .failFast("a client stopped writing", () -> results.stream().anyMatch(Future::isDone))
                    .until(() -> IntStream.range(0, CLIENTS).allMatch(c -> answered.get(c) > 1));
            jar.kill();
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            for (Future<Acknowledged> f : results) {
                acknowledged.add(f.get());
            }
        }
        assertThat(acknowledged)
                .allSatisfy(a -> assertThat(a.writes()).as(a.gateway()).isGreaterThan(1));
        System.out.println("[fault] kill -9: acknowledged writes per gateway "
                + acknowledged.stream().map(Acknowledged::writes).toList());

        try (JarProcess jar = JarProcess.startServer("fault-crash-2", args())) {
            GatehouseApi api = jar.api();
            for (Acknowledged a : acknowledged) {
                GatehouseApi.Response r = api.get(TestGateway.path(a.gateway()));
                assertThat(r.status()).as(a.gateway() + " after restart: " + r).isEqualTo(200);
                int stored = r.json()
                        .path("properties")
                        .path("backendSettingsCollection")
                        .path(0)
                        .path("properties")
                        .path("timeout")
                        .asInt();
                // The last answered write, or a later one that was committed while its answer was lost with the
                // process.
                assertThat(stored)
                        .as(a.gateway() + ": last acknowledged timeout " + a.timeout())
                        .isGreaterThanOrEqualTo(a.timeout());
                if (stored == a.timeout()) {
                    assertThat(r.json().path("etag").asString()).as(a.gateway()).isEqualTo(a.etag());
                }
                new Socket("127.0.0.1", a.listenPort()).close();
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    GatehouseApi.Response op = api.get(a.operation());
                    assertThat(op.status()).as(op.toString()).isEqualTo(200);
                    assertThat(op.json().path("status").asString())
                            .as(op.toString())
                            .isIn("Succeeded", "Failed", "Canceled");
                });
            }
            assertThat(jar.log()).doesNotContain("ERROR");
            assertThat(jar.terminate()).as(jar.log()).isIn(0, 143);
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(
                        DefaultDatabase.url().replace("./data/", data.toString() + "/"), "sa", "");
                ResultSet rows = db.createStatement()
                        .executeQuery("select status, count(*) from async_operation group by status")) {
            while (rows.next()) {
                byStatus.put(rows.getString(1), rows.getInt(2));
            }
        }
        System.out.println("[fault] kill -9: operations after the restart by status " + byStatus);
        assertThat(byStatus).doesNotContainKey("InProgress").isNotEmpty();
    }

    private String[] args() {
        // The default URL with only the directory changed, so the test measures what ships.
        return new String[] {
            "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data.toString() + "/"),
            "--gatehouse.dataplane.drain-timeout=1s"
        };
    }

    private static Acknowledged writeUntilKilled(
            GatehouseApi api, String name, int listen, AtomicBoolean running, Runnable onAnswered) {
        Acknowledged last = new Acknowledged(name, listen, 0, 0, null, null);
        for (int timeout = 1; running.get(); timeout++) {
            TestGateway gw = TestGateway.named(name)
                    .listen("127.0.0.1", listen)
                    .backends(9, "127.0.0.1")
                    .timeout(timeout);
            GatehouseApi.Response r;
            try {
                r = api.put(gw.path(), gw.json());
            } catch (RuntimeException e) {
                break; // the process died under this request: its answer never came
            }
            assertThat(r.status()).as(r.toString()).isIn(200, 201);
            String operation =
                    URI.create(r.header("Azure-AsyncOperation").orElseThrow()).getPath();
            last = new Acknowledged(
                    name,
                    listen,
                    last.writes() + 1,
                    timeout,
                    r.json().path("etag").asString(),
                    operation);
            onAnswered.run();
        }
        return last;
    }
}
