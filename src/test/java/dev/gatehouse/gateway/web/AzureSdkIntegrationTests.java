package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Microsoft's own JavaScript SDK, {@code @azure/arm-network} (installed in src/test/js by {@code npm ci}, as
 * .ci/run does), driven unmodified apart from the endpoint and a static token: it creates a gateway (a long-running
 * operation), reads, lists, patches its tags, stops, starts, runs backend health and deletes it. The SDK sends
 * bearer tokens only over https, so this application serves its API with a test CA's certificate, which node
 * trusts through NODE_EXTRA_CA_CERTS. Its own in-memory database keeps it apart from the shared test application.
 * Skipped loudly without node or the installed SDK, unless {@value RealReceivers#REQUIRED_PROPERTY} is true.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:gatehouse-sdk;DB_CLOSE_DELAY=-1",
            "spring.datasource.username=sa",
            "spring.datasource.password=",
            "gatehouse.reconcile.initial-backoff=200ms"
        })
class AzureSdkIntegrationTests {

    private static final Path SDK_FOLDER = Path.of("src/test/js");
    private static final TestCertificates CA = TestCertificates.newAuthority("gatehouse-sdk-test");
    private static final TestCertificates.Issued API_CERTIFICATE = CA.server("127.0.0.1", "localhost");

    @LocalServerPort
    int apiPort;

    @DynamicPropertySource
    static void https(DynamicPropertyRegistry registry) {
        registry.add("server.ssl.certificate", () -> API_CERTIFICATE.chainPem().toString());
        registry.add(
                "server.ssl.certificate-private-key",
                () -> API_CERTIFICATE.keyPem().toString());
    }

    @AfterAll
    static void removeCertificates() {
        CA.close();
    }

    @Test
    void microsoftsJavaScriptSdkDrivesAGatewayThroughItsWholeLifeUnmodified() throws Exception {
        assumeSdkInstalled();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProcessBuilder node = new ProcessBuilder(
                            "node",
                            "arm-network-e2e.js",
                            "https://127.0.0.1:" + apiPort,
                            TestGateway.SUBSCRIPTION,
                            "rg-sdk",
                            "sdk-e2e",
                            String.valueOf(FreePorts.next()),
                            String.valueOf(backend.getLocalPort()))
                    .directory(SDK_FOLDER.toFile())
                    .redirectErrorStream(true);
            node.environment().put("NODE_EXTRA_CA_CERTS", CA.caPem().toString());
            Process running = node.start();
            boolean exited = running.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                running.destroyForcibly();
            }
            String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(output);
            assertThat(exited).as("node finished within 120 s:\n" + output).isTrue();
            assertThat(running.exitValue()).as(output).isZero();
            assertThat(output)
                    .contains(
                            "sdk: createOrUpdate (long-running) -> Succeeded",
                            "sdk: updateTags",
                            "sdk: stop and start -> Running",
                            "sdk: backendHealth",
                            "sdk: delete -> gone",
                            "sdk: all passed");
        }
    }

    private static void assumeSdkInstalled() throws InterruptedException {
        String missing = null;
        try {
            Process version = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
                missing = "node does not run";
            }
        } catch (IOException e) {
            missing = "node is not installed";
        }
        if (missing == null && !Files.exists(SDK_FOLDER.resolve("node_modules/@azure/arm-network/package.json"))) {
            missing = "@azure/arm-network is not installed (cd src/test/js && npm ci)";
        }
        if (missing == null) {
            return;
        }
        RealReceivers.skipLoudly(missing + "; the Azure SDK test did not run");
    }
}
