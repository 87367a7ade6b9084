package dev.gatehouse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 idle client connections through one Tcp listener of the packaged jar, the default
 * {@code gatehouse.dataplane.max-connections-per-listener}: every one is accepted and relayed to a backend, the next
 * one is closed at once, and the jar's resident memory per connection is measured from /proc and printed.
 *
 * <p>File descriptors: the jar holds two per connection (client and backend side), 20,000 and more, so it runs with
 * its open-files limit raised by {@code prlimit} (needs CAP_SYS_RESOURCE). Where the hard limit cannot be raised
 * (20,000 on the build machine) the test is sized to it, loudly: as many connections as half the limit leaves room
 * for, with the cap set to that number, so that "all accepted below the cap, the next one closed" still holds. The
 * backend runs in a process of its own, and this process holds only the client sockets.
 */
class IdleConnectionsFaultTests {

    private static final int CONNECTIONS = 10_000;
    private static final int OPEN_FILES = 3 * CONNECTIONS;
    /** What a jar holds open besides its connections (jar files, selectors, the database, the API). */
    private static final int JAR_OWN_FILES = 1_500;

    @TempDir
    Path data;

    @Test
    void idleConnectionsUpToTheCapAreAllRelayedAndTheOnePastItIsClosed() throws Exception {
        long own = openFilesLimit();
        boolean raise = canRaiseOpenFiles();
        int connections = raise ? CONNECTIONS : (int) Math.min(CONNECTIONS, (own - JAR_OWN_FILES) / 2);
        if (connections < 1_000) {
            RealReceivers.skipLoudly("this process may open " + own + " files and cannot raise a child's limit "
                    + "(prlimit needs CAP_SYS_RESOURCE): too few for a thousand relayed connections; the "
                    + "idle-connections fault test did not run");
        }
        if (connections < CONNECTIONS) {
            System.err.println("*** SIZED DOWN: " + connections + " idle connections, not " + CONNECTIONS
                    + ": the open-files limit is " + own + " and cannot be raised here (prlimit needs "
                    + "CAP_SYS_RESOURCE); the jar needs two per connection ***");
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data.toString() + "/"),
                "--gatehouse.dataplane.drain-timeout=1s"));
        if (connections < CONNECTIONS) {
            args.add("--gatehouse.dataplane.max-connections-per-listener=" + connections);
        }
        Process backend = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        Path.of("target", "test-classes").toString(),
                        HoldingBackend.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Socket> clients = new ArrayList<>(connections);
        try (JarProcess jar = raise
                ? JarProcess.startServerWithOpenFiles("fault-idle-connections", OPEN_FILES, args.toArray(String[]::new))
                : JarProcess.startServer("fault-idle-connections", args.toArray(String[]::new))) {
            int backendPort = Integer.parseInt(
                    new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine()
                            .trim());
            int listen = FreePorts.next();
            // An idle timeout of an hour: the connections stay idle for the whole test.
            jar.api()
                    .apply(TestGateway.named("idle")
                            .listen("127.0.0.1", listen)
                            .backends(backendPort, "127.0.0.1")
                            .timeout(3600));
            long pid = jar.process().pid();
            long rssBefore = rssKb(pid);

            long started = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket("127.0.0.1", listen);
                s.setSoTimeout(20_000);
                clients.add(s);
            }
            for (int i = 0; i < connections; i++) {
                // The backend's byte: this connection was accepted and relayed, not refused or closed.
                assertThat(clients.get(i).getInputStream().read())
                        .as("connection %d of %d", i + 1, connections)
                        .isEqualTo('!');
            }
            long openMillis = (System.nanoTime() - started) / 1_000_000;
            long rssAfter = rssKb(pid);
            long fds;
            try (var list = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
                fds = list.count();
            }

            try (Socket pastTheCap = new Socket("127.0.0.1", listen)) {
                pastTheCap.setSoTimeout(10_000);
                assertThat(readOrEnd(pastTheCap))
                        .as("connection %d, past the cap", connections + 1)
                        .isEqualTo(-1);
            }
            System.out.println("[fault] " + connections + " idle connections opened and relayed in " + openMillis
                    + " ms; jar RSS " + rssBefore / 1024 + " MB before, " + rssAfter / 1024 + " MB with them open ("
                    + (rssAfter - rssBefore) * 1024 / connections + " bytes per connection, client and backend side), "
                    + fds + " file descriptors; connection " + (connections + 1) + " closed at once");
            assertThat(jar.log()).doesNotContain("ERROR");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            backend.getOutputStream().close();
            if (!backend.waitFor(10, TimeUnit.SECONDS)) {
                backend.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The next byte, or -1 at the end of the stream (a reset counts as an end too). */
    private static int readOrEnd(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection past the cap was still open after 10 s", e);
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
    }

    private static long openFilesLimit() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files"))
                .map(l -> Long.parseLong(l.trim().split("\\s+")[3]))
                .findFirst()
                .orElse(0L);
    }

    private static boolean canRaiseOpenFiles() throws Exception {
        Process probe = new ProcessBuilder("prlimit", "--nofile=" + OPEN_FILES + ":" + OPEN_FILES, "--", "true")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }
}
