package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The commands issue #18 added (list, get/set of a child, stop/start, backend-health, export), against the app. */
class CliCommandsIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(
                "GATEHOUSE_ENDPOINT",
                "http://127.0.0.1:" + apiPort,
                "GATEHOUSE_SUBSCRIPTION",
                TestGateway.SUBSCRIPTION,
                "GATEHOUSE_RESOURCE_GROUP",
                TestGateway.RESOURCE_GROUP);
        int exit = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]),
                        env)
                .run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] at(TestGateway gw, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-n", gw.name()));
        return all.toArray(String[]::new);
    }

    private Run apply(TestGateway gw) throws IOException {
        Path file = Files.writeString(dir.resolve(gw.name() + ".json"), TestGateway.text(gw.json()));
        Run apply = cli(at(gw, "apply", "-f", file.toString(), "--wait", "--timeout", "30s"));
        assertThat(apply.exit()).as(apply.toString()).isZero();
        return apply;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void applyWaitReportsProgressOnStderrAndPrintsOnlyTheGatewayOnStdout() throws Exception {
        TestGateway gw = TestGateway.named("cli-progress")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        try {
            Run apply = apply(gw);

            assertThat(apply.json().path("name").asString()).isEqualTo(gw.name());
            assertThat(apply.err())
                    .containsPattern("apply /subscriptions/.*/cli-progress: Succeeded after \\d+\\.\\d s");
        } finally {
            cli(at(gw, "delete", "--wait"));
        }
    }

    @Test
    void exportWritesATemplateWithoutSecretsThatAppliesBackToTheSameDocument() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            String pfx = ca.server("export.test").pfxBase64("pw");
            TestGateway gw = TestGateway.named("cli-export")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(9, "127.0.0.1")
                    .tlsListener(pfx, "pw");
            apply(gw);
            String etag = api.get(gw.path()).json().path("etag").asString();

            Run export = cli(at(gw, "export"));

            assertThat(export.exit()).as(export.toString()).isZero();
            JsonNode template = export.json();
            assertThat(template.path("$schema").asString()).isEqualTo(ArmTemplate.SCHEMA);
            assertThat(template.path("parameters")
                            .path("listener_certData")
                            .path("type")
                            .asString())
                    .isEqualTo("securestring");
            JsonNode resource = template.path("resources").path(0);
            assertThat(resource.path("type").asString()).isEqualTo("Microsoft.Network/applicationGateways");
            assertThat(resource.path("name").asString()).isEqualTo(gw.name());
            assertThat(export.out())
                    .doesNotContain("etag", "provisioningState", "operationalState", "publicCertData", pfx, "\"pw\"");
            assertThat(resource.has("id")).isFalse();
            assertThat(resource.path("properties").path("listeners").path(0).has("id"))
                    .isFalse();

            Path file = Files.writeString(dir.resolve("template.json"), export.out());
            Path pfxFile = Files.writeString(dir.resolve("listener.pfx.b64"), pfx + "\n");
            Run missing = cli(at(gw, "apply", "-f", file.toString()));
            assertThat(missing.exit()).as(missing.toString()).isEqualTo(2);
            assertThat(missing.err()).contains("parameter 'listener_certData' has no value");

            Run reapply = cli(at(
                    gw,
                    "apply",
                    "-f",
                    file.toString(),
                    "-p",
                    "listener_certData=@" + pfxFile,
                    "--parameter",
                    "listener_certPassword=pw",
                    "--wait"));

            assertThat(reapply.exit()).as(reapply.toString()).isZero();
            assertThat(api.get(gw.path()).json().path("etag").asString())
                    .as("the stored document is unchanged")
                    .isEqualTo(etag);
        } finally {
            cli(at(TestGateway.named("cli-export"), "delete", "--wait"));
        }
    }

    @Test
    void stopAndStartCloseAndReopenTheListener() throws Exception {
        int port = FreePorts.next();
        TestGateway gw = TestGateway.named("cli-stop").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        try {
            apply(gw);

            Run stop = cli(at(gw, "stop", "--wait"));
            assertThat(stop.exit()).as(stop.toString()).isZero();
            assertThat(stop.json().path("properties").path("operationalState").asString())
                    .isEqualTo("Stopped");
            assertThat(accepts(port)).as("stopped").isFalse();

            Run start = cli(at(gw, "start", "--wait", "-o", "table"));
            assertThat(start.exit()).as(start.toString()).isZero();
            assertThat(start.out()).startsWith("NAME").contains("Running");
            assertThat(accepts(port)).as("started").isTrue();
        } finally {
            cli(at(gw, "delete", "--wait"));
        }
    }

    @Test
    void getAndSetOneChildResource() throws Exception {
        int port = FreePorts.next();
        int moved = FreePorts.next();
        TestGateway gw =
                TestGateway.named("cli-child").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        try {
            apply(gw);

            Run get = cli(at(gw, "get", "frontendPort", "port"));
            assertThat(get.exit()).as(get.toString()).isZero();
            assertThat(get.json().path("properties").path("port").asInt()).isEqualTo(port);
            ObjectNode child = (ObjectNode) get.json();
            ((ObjectNode) child.path("properties")).put("port", moved);
            Path file = Files.writeString(dir.resolve("port.json"), JSON.writeValueAsString(child));

            Run set = cli("set", "frontendPorts", "port", "-f", file.toString(), "--wait");

            assertThat(set.exit()).as(set.toString()).isZero();
            assertThat(set.json().path("properties").path("port").asInt()).isEqualTo(moved);
            assertThat(accepts(moved)).isTrue();
            assertThat(cli(at(gw, "get", "listener", "absent")).exit()).isEqualTo(4);
        } finally {
            cli(at(gw, "delete", "--wait"));
        }
    }

    @Test
    void listAndBackendHealthShowTheGateway() throws Exception {
        TestGateway gw = TestGateway.named("cli-list")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        try {
            apply(gw);

            Run list = cli("list", "-o", "table");
            assertThat(list.exit()).as(list.toString()).isZero();
            assertThat(list.out()).startsWith("NAME").contains("cli-list").contains(TestGateway.RESOURCE_GROUP);
            Run json = cli("list", "-g", TestGateway.RESOURCE_GROUP);
            assertThat(json.json().path("value"))
                    .extracting(g -> g.path("name").asString())
                    .contains("cli-list");

            Run health = cli(at(gw, "backend-health", "-o", "table"));
            assertThat(health.exit()).as(health.toString()).isZero();
            assertThat(health.out()).contains("POOL").contains("127.0.0.1");
        } finally {
            cli(at(gw, "delete", "--wait"));
        }
    }
}
