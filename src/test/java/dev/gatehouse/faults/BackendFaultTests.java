package dev.gatehouse.faults;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.ClientSockets;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.SlowToAccept;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile backends against the packaged jar: backends that accept and never answer, that reset, that are slow to
 * accept. Each ends the affected connection cleanly within its configured timeout, and a healthy connection through
 * another gateway keeps working meanwhile. (TLS clients that never finish their handshake: SlowTlsClientFaultTests.)
 */
class BackendFaultTests {

    private static final int IDLE_SECONDS = 2;

    @TempDir
    static Path data;

    static JarProcess jar;
    static GatehouseApi api;
    static CaptureBackend healthy;
    static int healthyListen;

    @BeforeAll
    static void start() throws Exception {
        jar = JarProcess.startServer(
                "fault-backends",
                "--spring.datasource.url=" + DefaultDatabase.url().replace("./data/", data.toString() + "/"),
                "--gatehouse.dataplane.connect-timeout=2s",
                "--gatehouse.dataplane.drain-timeout=1s");
        api = jar.api();
        healthy = CaptureBackend.start("127.0.0.1");
        healthyListen = FreePorts.next();
        api.apply(
                TestGateway.named("healthy").listen("127.0.0.1", healthyListen).backends(healthy.port(), "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        healthy.close();
        jar.close();
    }

    @Test
    void aBackendThatAcceptsAndNeverAnswersIsClosedAfterTheIdleTimeoutAndOthersServeOn() throws Exception {
        try (CaptureBackend silent = CaptureBackend.start("127.0.0.1")) {
            int listen = applyTo("silent", silent.port());
            try (Socket client = ClientSockets.open(listen)) {
                client.getOutputStream().write("hello".getBytes(US_ASCII));
                try (Socket upstream = silent.accept()) {
                    assertHealthyRelays();
                    long started = System.nanoTime();
                    ClientSockets.assertEnds(client);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    System.out.println("[fault] silent backend: client closed after " + millis + " ms (idle timeout "
                            + IDLE_SECONDS + " s)");
                    assertThat(millis).isLessThan(IDLE_SECONDS * 1000L + 8_000);
                }
            }
        }
    }

    @Test
    void aBackendThatResetsEndsTheClientConnectionAtOnceAndOthersServeOn() throws Exception {
        try (CaptureBackend resetting = CaptureBackend.start("127.0.0.1")) {
            int listen = applyTo("resetting", resetting.port());
            try (Socket client = ClientSockets.open(listen)) {
                client.getOutputStream().write("hello".getBytes(US_ASCII));
                Socket upstream = resetting.accept();
                upstream.setSoLinger(true, 0);
                upstream.close(); // RST
                long started = System.nanoTime();
                ClientSockets.assertEnds(client);
                assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(IDLE_SECONDS * 1000L);
            }
            assertHealthyRelays();
        }
    }

    @Test
    void aBackendSlowToAcceptEndsTheClientAfterTheConnectTimeoutAndOthersServeOn() throws Exception {
        try (SlowToAccept slow = SlowToAccept.start()) {
            int listen = applyTo("slow-accept", slow.port());
            try (Socket client = ClientSockets.open(listen)) {
                client.getOutputStream().write("hello".getBytes(US_ASCII));
                assertHealthyRelays();
                long started = System.nanoTime();
                ClientSockets.assertEnds(client);
                long millis = (System.nanoTime() - started) / 1_000_000;
                System.out.println(
                        "[fault] backend slow to accept: client closed after " + millis + " ms (connect timeout 2 s)");
                assertThat(millis).isLessThan(15_000);
            }
        }
    }

    private static int applyTo(String name, int backendPort) {
        int listen = FreePorts.next();
        api.apply(TestGateway.named(name)
                .listen("127.0.0.1", listen)
                .backends(backendPort, "127.0.0.1")
                .timeout(IDLE_SECONDS));
        return listen;
    }

    private static void assertHealthyRelays() throws Exception {
        try (Socket c = ClientSockets.open(healthyListen)) {
            c.getOutputStream().write("ping".getBytes(US_ASCII));
            try (Socket server = healthy.accept()) {
                assertThat(new String(CaptureBackend.readN(server, 4), US_ASCII))
                        .isEqualTo("ping");
                server.getOutputStream().write("pong".getBytes(US_ASCII));
                assertThat(new String(CaptureBackend.readN(c, 4), US_ASCII)).isEqualTo("pong");
            }
        }
    }
}
