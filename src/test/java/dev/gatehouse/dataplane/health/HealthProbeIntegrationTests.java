package dev.gatehouse.dataplane.health;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.RealReceivers.RealReceiver;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Health probes against real servers: the exact bytes a probe sends, Azure's rule for the PROXY header on
 * default and custom probes, health transitions with their reasons in the backend health API, traffic
 * kept away from unhealthy servers, and real PROXY receivers accepting our probes.
 */
class HealthProbeIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode probe(boolean header) {
        return JSON.createObjectNode()
                .put("protocol", "Tcp")
                .put("interval", 1)
                .put("timeout", 2)
                .put("unhealthyThreshold", 2)
                .put("enableProbeProxyProtocolHeader", header);
    }

    private void apply(TestGateway gw) {
        deleteAfterwards(gw); // its probes run every second
        var r = api.put(gw.path(), gw.json());
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    private JsonNode server(TestGateway gw, String address) {
        var r = api.post(gw.path() + "/backendhealth", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode s : r.json()
                .path("backendAddressPools")
                .get(0)
                .path("backendHttpSettingsCollection")
                .get(0)
                .path("servers")) {
            if (s.path("address").asString().equals(address)) {
                return s;
            }
        }
        throw new AssertionError("no server " + address + " in " + r.raw());
    }

    @Test
    void aCustomProbeWithTheFlagSendsExactlyProxyUnknown() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("probe-custom-header")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(backend.port(), "127.0.0.1")
                    .probe(probe(true));
            apply(gw);
            assertThat(new String(CaptureBackend.readToEnd(backend.accept()), US_ASCII))
                    .isEqualTo("PROXY UNKNOWN\r\n");
        }
    }

    @Test
    void theDefaultProbeOfSettingsThatPreserveTheClientIpSendsTheHeader() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("probe-default-header")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true)
                    .probe(null);
            apply(gw);
            assertThat(new String(CaptureBackend.readToEnd(backend.accept()), US_ASCII))
                    .isEqualTo("PROXY UNKNOWN\r\n");
            // the backend has the probe's bytes before the prober has recorded the result
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    server(gw, "127.0.0.1").path("health").asString())
                            .isEqualTo("Healthy"));
        }
    }

    @Test
    void aCustomProbeWithoutTheFlagSendsNothingEvenWhenTheSettingsPreserveTheClientIp() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("probe-custom-plain")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true)
                    .probe(probe(false));
            apply(gw);
            assertThat(CaptureBackend.readToEnd(backend.accept())).isEmpty();
        }
    }

    @Test
    void aKilledServerTurnsUnhealthyTrafficAvoidsItAndItRecovers() throws Exception {
        int port = FreePorts.next();
        int healthPort = FreePorts.next();
        int listenPort = FreePorts.next();
        ObjectNode probe = probe(false).put("port", healthPort);
        TestGateway gw = TestGateway.named("probe-failover")
                .listen("127.0.0.1", listenPort)
                .backends(port, "127.0.0.1", "127.0.0.2")
                .probe(probe);
        try (CaptureBackend a = CaptureBackend.start("127.0.0.1", port);
                CaptureBackend aHealth = CaptureBackend.start("127.0.0.1", healthPort)) {
            CaptureBackend b = CaptureBackend.start("127.0.0.2", port);
            CaptureBackend bHealth = CaptureBackend.start("127.0.0.2", healthPort);
            apply(gw);
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(server(gw, "127.0.0.1").path("health").asString()).isEqualTo("Healthy");
                assertThat(server(gw, "127.0.0.2").path("health").asString()).isEqualTo("Healthy");
            });

            b.close();
            bHealth.close();
            // interval x threshold + timeout = 1 s x 2 + 2 s, and one more interval for the round in flight; the
            // rest is headroom for a loaded machine, where probe rounds start late.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    server(gw, "127.0.0.2").path("health").asString())
                            .isEqualTo("Unhealthy"));
            JsonNode unhealthy = server(gw, "127.0.0.2");
            assertThat(unhealthy.path("probe").path("lastFailureReason").asString())
                    .isEqualTo("connection refused");
            assertThat(unhealthy.path("healthProbeLog").asString()).contains("connection refused");

            for (int i = 0; i < 4; i++) {
                try (Socket client = new Socket("127.0.0.1", listenPort)) {
                    client.getOutputStream().write(("c" + i).getBytes(US_ASCII));
                    client.shutdownOutput();
                    assertThat(new String(CaptureBackend.readToEnd(a.accept()), US_ASCII))
                            .isEqualTo("c" + i);
                }
            }

            try (CaptureBackend bAgain = CaptureBackend.start("127.0.0.2", port);
                    CaptureBackend bHealthAgain = CaptureBackend.start("127.0.0.2", healthPort)) {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(
                                        server(gw, "127.0.0.2").path("health").asString())
                                .isEqualTo("Healthy"));
            }
        }
    }

    @Test
    void whenEveryServerIsUnhealthyConnectionsStillTryThemAsAzureDoes() throws Exception {
        int deadHealthPort = FreePorts.next();
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            TestGateway gw = TestGateway.named("probe-all-unhealthy")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .probe(probe(false).put("port", deadHealthPort).put("unhealthyThreshold", 1));
            apply(gw);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    server(gw, "127.0.0.1").path("health").asString())
                            .isEqualTo("Unhealthy"));
            try (Socket client = new Socket("127.0.0.1", listenPort)) {
                client.getOutputStream().write("still".getBytes(US_ASCII));
                client.shutdownOutput();
                assertThat(new String(CaptureBackend.readToEnd(backend.accept()), US_ASCII))
                        .isEqualTo("still");
            }
        }
    }

    @Test
    void probesStopWithTheGatewayAndTheirResultsAreMetered() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named("probe-stops")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(backend.port(), "127.0.0.1")
                    .probe(probe(false));
            apply(gw);
            backend.accept().close();
            backend.accept().close();
            // the backend sees a probe's connection before the prober has recorded its result
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var metric = api.getRaw("/actuator/metrics/gatehouse.probe?tag=result:success");
                assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
                assertThat(metric.json()
                                .path("measurements")
                                .get(0)
                                .path("value")
                                .asDouble())
                        .isGreaterThanOrEqualTo(2);
                var servers = api.getRaw("/actuator/metrics/gatehouse.backend.servers?tag=health:Healthy");
                assertThat(servers.json()
                                .path("measurements")
                                .get(0)
                                .path("value")
                                .asDouble())
                        .isGreaterThanOrEqualTo(1);
            });

            assertThat(api.delete(gw.path()).status()).isEqualTo(200);
            // A probe of the round under way when the gateway went away may still land, late on a loaded machine:
            // drain until the backend has been quiet for most of an interval (1 s). A prober that kept running
            // connects again within an interval of its last probe, which the poll below catches.
            for (int late = 0; late < 5 && backend.poll(700) != null; late++) {
                // drain it
            }
            assertThat(backend.poll(2_500))
                    .as("a probe connection after the gateway was deleted")
                    .isNull();
        }
    }

    @Test
    void aTlsProbeAgainstAnUntrustedCertificateIsUnhealthyWithTheTlsReason() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority();
                TestCertificates other = TestCertificates.newAuthority();
                TlsServer server = new TlsServer(ca.server("backend.test"))) {
            ObjectNode probe = JSON.createObjectNode()
                    .put("protocol", "Tls")
                    .put("interval", 1)
                    .put("timeout", 2)
                    .put("unhealthyThreshold", 1);
            TestGateway gw = TestGateway.named("probe-tls-untrusted")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(server.port(), "127.0.0.1")
                    .tlsBackend(other.caDerBase64(), "backend.test")
                    .probe(probe);
            apply(gw);
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode s = server(gw, "127.0.0.1");
                assertThat(s.path("health").asString()).isEqualTo("Unhealthy");
                assertThat(s.path("probe").path("lastFailureReason").asString())
                        .startsWith("TLS handshake failed")
                        .contains("certification path");
            });
        }
    }

    @Test
    void nginxAndHaproxyAcceptOurProbesAndStayHealthy() throws Exception {
        RealReceivers.assumeAvailable("nginx");
        RealReceivers.assumeAvailable("haproxy");
        RealReceiver nginx = RealReceivers.startNginx("127.0.0.1");
        RealReceiver haproxy = RealReceivers.startHaproxy("127.0.0.1");
        try (nginx;
                haproxy) {
            for (RealReceiver receiver : new RealReceiver[] {nginx, haproxy}) {
                TestGateway gw = TestGateway.named("probe-real-" + receiver.port())
                        .listen("127.0.0.1", FreePorts.next())
                        .backends(receiver.port(), "127.0.0.1")
                        .enableL4ClientIpPreservation(true)
                        .probe(probe(true));
                apply(gw);
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode s = server(gw, "127.0.0.1");
                    assertThat(s.path("health").asString()).isEqualTo("Healthy");
                    assertThat(s.path("probe").has("lastFailureReason")).isFalse();
                });
                // A few more rounds, so the logs hold several probes.
                double probed = successfulProbes(gw);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(successfulProbes(gw)).isGreaterThanOrEqualTo(probed + 2));
                assertThat(server(gw, "127.0.0.1")
                                .path("probe")
                                .path("consecutiveFailures")
                                .asInt())
                        .isZero();
                api.delete(gw.path());
            }
        }
        assertThat(nginx.log()).doesNotContain("broken header");
        assertThat(haproxy.log()).doesNotContain("invalid PROXY").doesNotContain("does not look like a PROXY");
    }

    /** How many probes of the gateway succeeded so far ({@code gatehouse.probe}), 0 before the first. */
    private double successfulProbes(TestGateway gw) {
        var metric = api.getRaw("/actuator/metrics/gatehouse.probe?tag=gateway:"
                + gw.path().toLowerCase(Locale.ROOT) + "&tag=result:success");
        if (metric.status() == 404) {
            return 0;
        }
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        return metric.json()
                .path("measurements")
                .valueStream()
                .filter(m -> m.path("statistic").asString().equals("COUNT"))
                .mapToDouble(m -> m.path("value").asDouble())
                .sum();
    }

    /** A TLS server that completes handshakes and closes: a backend for Tls probes. */
    private static final class TlsServer implements AutoCloseable {

        private final SSLServerSocket socket;
        private final AtomicBoolean open = new AtomicBoolean(true);

        TlsServer(TestCertificates.Issued cert) throws Exception {
            socket = (SSLServerSocket) cert.serverContext()
                    .getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread t = new Thread(
                    () -> {
                        while (open.get()) {
                            try (SSLSocket s = (SSLSocket) socket.accept()) {
                                s.setSoTimeout(2_000);
                                s.startHandshake();
                            } catch (Exception ignored) {
                                // failed handshakes are what this server is for
                            }
                        }
                    },
                    "tls-probe-target");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            open.set(false);
            socket.close();
        }
    }
}
