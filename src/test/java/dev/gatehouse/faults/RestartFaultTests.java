package dev.gatehouse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.EchoBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart as docs/operations.md tells operators to do it: a new process on the same database, applied copies and
 * API port, started with {@code --gatehouse.restore.replace-pid=<old pid>}, serves the listeners beside the old one
 * (SO_REUSEPORT), then stops it and takes over. Clients open connections and move bytes through a listener the
 * whole time: not one is refused or reset, and every byte sent comes back.
 */
class RestartFaultTests {

    private static final int CLIENTS = 4;
    private static final int MESSAGE = 512;

    @TempDir
    Path data;

    @Test
    void aReplacingProcessTakesOverWithoutRefusingAConnectionOrLosingAByte() throws Exception {
        assumeQueuedConnectionsMigrate();
        int apiPort = FreePorts.next();
        int listen = FreePorts.next();
        String[] args = {
            "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data + "/"),
            "--gatehouse.restore.directory=" + data.resolve("last-applied"),
            "--gatehouse.dataplane.drain-timeout=5s"
        };
        try (EchoBackend echo = EchoBackend.start();
                JarProcess old = JarProcess.startServerOnPort("fault-restart-old", apiPort, args)) {
            TestGateway gw =
                    TestGateway.named("restart").listen("127.0.0.1", listen).backends(echo.port(), "127.0.0.1");
            old.api().apply(gw);
            long oldPid = old.process().pid();
            try (Load load = Load.start(listen)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> load.completed.get() >= 200);
                String[] replacing = Arrays.copyOf(args, args.length + 1);
                replacing[args.length] = "--gatehouse.restore.replace-pid=" + oldPid;
                // Returns at once: until the old process exits, it is the one answering on the API port.
                try (JarProcess next = JarProcess.startServerOnPort("fault-restart-new", apiPort, replacing)) {
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(90))
                            .until(() -> !old.process().isAlive());
                    long atTakeOver = load.completed.get();
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(250))
                            .ignoreExceptions()
                            .failFast(
                                    "the new process exited",
                                    () -> !next.process().isAlive())
                            .until(() -> next.api()
                                            .getRaw("/actuator/health/readiness")
                                            .status()
                                    == 200);
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> load.completed.get() >= atTakeOver + 200);
                    load.stop();
                    System.out.println("[fault] restart: " + load.completed.get() + " connections ("
                            + load.completed.get() * MESSAGE + " bytes each way) through the takeover, "
                            + (load.completed.get() - atTakeOver) + " after the old process exited; failures: "
                            + load.failures);

                    assertThat(load.failures)
                            .as("connections refused, reset or short")
                            .isEmpty();
                    assertThat(next.log())
                            .contains("Serving 1 of 1 gateway(s) as last applied")
                            .contains("Process " + oldPid + " exited");
                    assertThat(next.api().get(gw.path()).status()).isEqualTo(200);
                    assertThat(old.log()).doesNotContain("ERROR");
                    assertThat(next.log()).doesNotContain("ERROR");
                }
            }
        }
    }

    @Test
    void aStartServesTheLastAppliedListenersBeforeTheDatabaseAndTheApi() throws Exception {
        int apiPort = FreePorts.next();
        int listen = FreePorts.next();
        String[] args = {
            "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data + "/"),
            "--gatehouse.restore.directory=" + data.resolve("last-applied")
        };
        try (EchoBackend echo = EchoBackend.start()) {
            TestGateway gw =
                    TestGateway.named("restore").listen("127.0.0.1", listen).backends(echo.port(), "127.0.0.1");
            try (JarProcess first = JarProcess.startServerOnPort("fault-restore-first", apiPort, args)) {
                first.api().apply(gw);
                assertThat(first.terminate()).isIn(0, 143);
            }
            // The API port stays taken (by this test) while the second process starts: it waits for it, and its
            // context (database, reconciler, API) cannot have started, yet its listener must serve.
            try (ServerSocket apiTaken = new ServerSocket(apiPort, 50, InetAddress.getLoopbackAddress());
                    JarProcess second = JarProcess.launch("fault-restore-second", apiPort, args)) {
                byte[] message = "served before the database".getBytes(StandardCharsets.US_ASCII);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .failFast("the process exited", () -> !second.process().isAlive())
                        .until(() -> Arrays.equals(echoThrough(listen, message), message));
                // The listener may serve before logging is configured: its line is written once it is.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(second.log())
                                .contains("Serving 1 of 1 gateway(s) as last applied")
                                .contains("API port " + apiPort + " is still in use"));
                assertThat(second.log()).doesNotContain("HikariPool-1 - Start completed");

                apiTaken.close();
                second.awaitReady();
                assertThat(second.api().get(gw.path()).status()).isEqualTo(200);
                assertThat(echoThrough(listen, message)).isEqualTo(message);
                assertThat(second.log()).doesNotContain("ERROR");
            }
        }
    }

    private static byte[] echoThrough(int port, byte[] message) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(message);
            socket.shutdownOutput();
            return socket.getInputStream().readAllBytes();
        }
    }

    /**
     * Linux resets the connections still queued on a listening socket when it closes, unless
     * {@code net.ipv4.tcp_migrate_req} moves them to another socket of its SO_REUSEPORT group (.ci/run sets it).
     */
    private static void assumeQueuedConnectionsMigrate() throws IOException {
        Path sysctl = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
        if (Files.exists(sysctl) && Files.readString(sysctl).trim().equals("1")) {
            return;
        }
        RealReceivers.skipLoudly(
                "net.ipv4.tcp_migrate_req is not 1 (sysctl -w net.ipv4.tcp_migrate_req=1); the restart "
                        + "test did not run");
    }

    /** Clients that each open a connection, send a message, half-close and read it back, over and over. */
    private static final class Load implements AutoCloseable {

        final AtomicLong completed = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

        static Load start(int port) {
            Load load = new Load();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                load.clients.execute(() -> load.run(port, client));
            }
            return load;
        }

        private void run(int port, int client) {
            for (long n = 0; running.get(); n++) {
                byte[] message = new byte[MESSAGE];
                for (int i = 0; i < MESSAGE; i++) {
                    message[i] = (byte) (client * 31 + n * 7 + i);
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(message);
                    socket.shutdownOutput();
                    byte[] back = socket.getInputStream().readAllBytes();
                    if (!Arrays.equals(back, message)) {
                        failures.add("client " + client + " connection " + n + ": " + back.length + " of " + MESSAGE
                                + " bytes came back" + (back.length == MESSAGE ? ", altered" : ""));
                    } else {
                        completed.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.add("client " + client + " connection " + n + ": " + e);
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
