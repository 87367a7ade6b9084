package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.JarProcess;
import dev.gatehouse.testing.TestGateway;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, as shipped (its own classpath, not the test's): it starts on an H2 file, serves a
 * gateway, and stops gracefully on SIGTERM, closing its listeners; and it knows its version.
 */
class PackagedJarIntegrationTests {

    @TempDir
    Path data;

    @Test
    void theJarStartsServesAGatewayAndStopsGracefullyOnSigterm() throws Exception {
        int listen = FreePorts.next();
        try (JarProcess jar = JarProcess.startServer(
                "packaged-jar",
                // As the default URL does: H2 must not close the database before the application has stopped.
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--gatehouse.dataplane.drain-timeout=1s")) {
            GatehouseApi api = jar.api();
            TestGateway gw =
                    TestGateway.named("packaged").listen("127.0.0.1", listen).backends(9, "127.0.0.1");
            api.apply(gw);
            new Socket("127.0.0.1", listen).close();
            // The committed document as it is, and Swagger UI from its web jar: nothing generates them here.
            GatehouseApi.Response document = api.getRaw("/v3/api-docs");
            assertThat(document.status()).isEqualTo(200);
            if (!Boolean.getBoolean("gatehouse.openapi.update")) { // the jar holds the copy from before a regeneration
                assertThat(document.raw()).isEqualTo(Files.readString(Path.of("openapi/openapi.json")));
            }
            assertThat(api.getRaw("/swagger-ui/index.html").status()).isEqualTo(200);
            assertThat(api.getRaw("/swagger-ui/swagger-initializer.js").raw()).contains("v3/api-docs");
            assertThat(api.getRaw("/actuator/prometheus").raw()).contains("gatehouse_reconcile_queue");

            assertThat(jar.terminate()).as(jar.log()).isIn(0, 143);
            assertThat(jar.log()).doesNotContain("ERROR");
            Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", listen).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    /**
     * springdoc and swagger-core generate the OpenAPI document in the tests; the jar carries swagger's annotations
     * and Swagger UI's files only (docs/decisions.md). Their classes and the Jackson 2 modules swagger-core brings
     * cost start-up time and memory.
     */
    @Test
    void theJarHoldsNoOpenApiGenerator() throws Exception {
        List<String> libraries;
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            libraries = jar.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .toList();
        }
        assertThat(libraries)
                .anyMatch(name -> name.startsWith("swagger-annotations"))
                .anyMatch(name -> name.startsWith("swagger-ui-"))
                .noneMatch(name -> name.startsWith("springdoc-"))
                .noneMatch(name -> name.startsWith("swagger-core") || name.startsWith("swagger-models"))
                .noneMatch(name -> name.startsWith("jackson-dataformat-yaml"));
    }

    @Test
    void theJarPrintsItsBuildVersion() throws Exception {
        Process version = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        JarProcess.jar().toString(),
                        "--version")
                .redirectErrorStream(true)
                .start();
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.exitValue()).as(out).isZero();
        // The version recorded at build time, found from inside the executable jar (not "unknown").
        assertThat(out).matches("gatehouse \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }
}
