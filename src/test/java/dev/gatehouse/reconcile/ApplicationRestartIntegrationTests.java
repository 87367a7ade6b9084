package dev.gatehouse.reconcile;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.TestGateway;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Config survives a restart: a gateway stored in the H2 file comes back and serves without any API call. */
class ApplicationRestartIntegrationTests {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GatehouseApplication.class)
                .run(
                        "--server.port=0",
                        "--gatehouse.dataplane.drain-timeout=3s",
                        "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("gatehouse"));
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @Test
    void storedGatewaysServeAgainAfterARestart() throws Exception {
        int listenPort = FreePorts.next();
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("restart")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true);
            String etag;
            String operation;
            try (ConfigurableApplicationContext first = start()) {
                // Answered at once; the process may stop before or after the apply.
                var r = new GatehouseApi(port(first)).async().put(gw.path(), gw.json());
                assertThat(r.status()).isEqualTo(201);
                etag = r.etag();
                operation = URI.create(r.header("Azure-AsyncOperation").orElseThrow())
                        .getPath();
            }
            try (ConfigurableApplicationContext second = start()) {
                var r = new GatehouseApi(port(second)).get(gw.path());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.etag()).isEqualTo(etag);
                // The listener is bound by the start-up resync, without any write.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(new GatehouseApi(port(second))
                                        .get(gw.path())
                                        .json()
                                        .path("properties")
                                        .path("provisioningState")
                                        .asString())
                                .isEqualTo("Succeeded"));
                // The operation is stored: after the restart it is still readable, and settled by the resync.
                assertThat(new GatehouseApi(port(second))
                                .get(operation)
                                .json()
                                .path("status")
                                .asString())
                        .isEqualTo("Succeeded");
                try (Socket client = new Socket("127.0.0.1", listenPort)) {
                    client.getOutputStream().write("again".getBytes(US_ASCII));
                    client.shutdownOutput();
                    String expected =
                            "PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " " + listenPort + "\r\nagain";
                    assertThat(new String(CaptureBackend.readToEnd(backend.accept()), US_ASCII))
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aStoppedGatewayStaysStoppedAcrossARestart() throws Exception {
        int listenPort = FreePorts.next();
        TestGateway gw = TestGateway.named("restart-stopped")
                .listen("127.0.0.1", listenPort)
                .backends(9, "127.0.0.1");
        try (ConfigurableApplicationContext first = start()) {
            GatehouseApi api = new GatehouseApi(port(first));
            api.apply(gw);
            assertThat(api.post(gw.path() + "/stop", "").status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext second = start()) {
            GatehouseApi api = new GatehouseApi(port(second));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(api.get(gw.path())
                                    .json()
                                    .path("properties")
                                    .path("provisioningState")
                                    .asString())
                            .isEqualTo("Succeeded"));
            assertThat(api.get(gw.path())
                            .json()
                            .path("properties")
                            .path("operationalState")
                            .asString())
                    .isEqualTo("Stopped");
            Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", listenPort).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void shuttingDownStopsAcceptingAndLetsOpenConnectionsFinishWithinTheDrainTimeout() throws Exception {
        int listenPort = FreePorts.next();
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("restart-drain")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1");
            ConfigurableApplicationContext app = start();
            new GatehouseApi(port(app)).apply(gw);
            try (Socket client = new Socket("127.0.0.1", listenPort)) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write('a');
                Socket upstream = backend.accept();
                assertThat(upstream.getInputStream().read()).isEqualTo('a');

                Thread closer = new Thread(app::close, "shutdown");
                closer.start();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                                () -> Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", listenPort).close())
                                        .isInstanceOf(ConnectException.class));
                // Accepting has stopped, but the open connection still relays both ways.
                client.getOutputStream().write('b');
                assertThat(upstream.getInputStream().read()).isEqualTo('b');
                upstream.getOutputStream().write('c');
                assertThat(client.getInputStream().read()).isEqualTo('c');
                closer.join(15_000);
                assertThat(closer.isAlive()).isFalse();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }
    }
}
