package dev.gatehouse.faults;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The disk that holds the embedded database fills up (a small tmpfs, so root is needed to mount it): writes are
 * refused with 503 ServiceUnavailable and Retry-After (the message says the disk is full when the refused write is
 * the one that found it full; later ones find H2's database closed and say the database is unavailable), reads
 * and traffic continue, writes work again once space is freed, and after a restart the database holds every write
 * that was answered 2xx.
 */
class DiskFullFaultTests {

    @Test
    void onAFullDiskWritesAreRefusedClearlyReadsAndTrafficContinueAndNothingIsCorrupted() throws Exception {
        Path mount = Files.createTempDirectory("gatehouse-full");
        assumeMounted(mount);
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            String url = DefaultDatabase.url().replace("./data/", mount + "/");
            int listen = FreePorts.next();
            TestGateway gw =
                    TestGateway.named("full").listen("127.0.0.1", listen).backends(backend.port(), "127.0.0.1");
            String stored;
            try (JarProcess jar = JarProcess.startServer(
                    "fault-disk-full", "--spring.datasource.url=" + url, "--gatehouse.dataplane.drain-timeout=1s")) {
                GatehouseApi api = jar.api();
                api.apply(gw.timeout(1));
                Path filler = mount.resolve("filler");
                fill(filler);

                GatehouseApi.Response refused = null;
                for (int t = 2; t < 40 && (refused == null || refused.status() / 100 == 2); t++) {
                    refused = api.async().put(gw.path(), gw.timeout(t).json());
                }
                System.out.println("[fault] disk full: write answered " + refused);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.errorCode()).isEqualTo("ServiceUnavailable");
                assertThat(refused.header("Retry-After")).isPresent();

                // The pool drops each connection H2 closed as it meets it; a new one opens the file again and reads.
                long full = System.nanoTime();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> api.get(gw.path()).status() == 200);
                System.out.println("[fault] disk full: reads answered 200 again after "
                        + (System.nanoTime() - full) / 1_000_000 + " ms");
                assertRelays(listen, backend);

                Files.delete(filler);
                // Writes work again once the pool has met and dropped the connections H2 closed.
                GatehouseApi.Response[] again = new GatehouseApi.Response[1];
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            again[0] = api.put(gw.path(), gw.timeout(50).json());
                            return again[0].status() / 100 == 2;
                        });
                assertThat(again[0].json()
                                .path("properties")
                                .path("provisioningState")
                                .asString())
                        .isEqualTo("Succeeded");
                stored = again[0].json().path("etag").asString();
                assertThat(jar.terminate()).as(jar.log()).isIn(0, 143);
            }
            try (JarProcess jar = JarProcess.startServer(
                    "fault-disk-full-restart",
                    "--spring.datasource.url=" + url,
                    "--gatehouse.dataplane.drain-timeout=1s")) {
                GatehouseApi.Response after = jar.api().get(gw.path());
                assertThat(after.status()).as(after.toString()).isEqualTo(200);
                assertThat(after.json().path("etag").asString()).isEqualTo(stored);
                assertRelays(listen, backend);
            }
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static void assumeMounted(Path mount) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString())) {
            return;
        }
        Files.deleteIfExists(mount);
        String msg = "cannot mount a small tmpfs (needs root); disk-full fault test did not run";
        if (Boolean.getBoolean(RealReceivers.REQUIRED_PROPERTY) && root) {
            throw new AssertionError(msg);
        }
        System.err.println("*** SKIPPED: " + msg + " ***");
        Assumptions.assumeTrue(false, msg);
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
    }

    private static boolean run(String... command) throws Exception {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void assertRelays(int listen, CaptureBackend backend) throws Exception {
        try (Socket client = new Socket("127.0.0.1", listen)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("ping".getBytes(US_ASCII));
            try (Socket server = backend.accept()) {
                assertThat(new String(CaptureBackend.readN(server, 4), US_ASCII))
                        .isEqualTo("ping");
            }
        }
    }
}
