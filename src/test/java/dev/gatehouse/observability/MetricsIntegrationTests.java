package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.TestGateway;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gatehouse's meters as Prometheus scrapes them from the running application: failures counted by reason, a
 * listener's, pool's and gateway's series gone from the scrape once they are, and every metric the shipped Grafana
 * dashboard and alert rules use present in a real scrape.
 */
class MetricsIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Gatehouse metric name in a PromQL expression. */
    private static final Pattern METRIC = Pattern.compile("\\bgatehouse_[a-z0-9_]+");
    /** A selector with its label matchers, and one exact matcher in it. */
    private static final Pattern SELECTOR = Pattern.compile("(gatehouse_[a-z0-9_]+)\\s*\\{([^}]*)}");

    private static final Pattern EXACT = Pattern.compile("([a-z_]+)\\s*=\\s*\"([^\"$]*)\"");

    @Test
    void everyMetricAndLabelValueOfTheShippedDashboardAndAlertRulesIsScraped() throws Exception {
        List<String> expressions = new ArrayList<>(grafanaExpressions());
        int fromGrafana = expressions.size();
        expressions.addAll(alertExpressions());
        assertThat(fromGrafana).as("expressions in the Grafana dashboard").isGreaterThan(10);
        assertThat(expressions.size() - fromGrafana).as("alert rules").isGreaterThan(5);

        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1");
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Traffic through one gateway, a down server (Unhealthy, and a failed connection) in another, and a
            // gateway that cannot bind its port (failed reconciles).
            int listenPort = FreePorts.next();
            TestGateway live = TestGateway.named("metrics-board")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1");
            api.apply(live);
            int downListen = FreePorts.next();
            TestGateway down = TestGateway.named("metrics-down")
                    .listen("127.0.0.1", downListen)
                    .backends(FreePorts.next(), "127.0.0.1")
                    .probe(JSON.createObjectNode()
                            .put("protocol", "Tcp")
                            .put("interval", 1)
                            .put("timeout", 1)
                            .put("unhealthyThreshold", 1));
            deleteAfterwards(down); // its probes run every second
            api.apply(down);
            TestGateway unbindable = TestGateway.named("metrics-unbindable")
                    .listen("127.0.0.1", taken.getLocalPort())
                    .backends(backend.port(), "127.0.0.1");
            api.put(unbindable.path(), unbindable.json(), "Prefer", "wait=10");

            relayOnce(listenPort, backend);
            String downGateway = "gateway=\"" + down.path().toLowerCase(Locale.ROOT) + "\"";
            eventually(() -> assertThat(series(downGateway, "gatehouse_backend_pool_servers{"))
                    .anyMatch(l -> l.contains("health=\"Unhealthy\"") && l.endsWith(" 1.0")));
            try (Socket refused = new Socket("127.0.0.1", downListen)) {
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
            }
            eventually(() -> assertThat(series(downGateway, "gatehouse_connection_failures_total"))
                    .anyMatch(l -> l.contains("reason=\"no-healthy-server\"") && l.endsWith(" 1.0")));

            eventually(() -> {
                List<String> scrape = series("", "");
                for (String expression : expressions) {
                    Matcher names = METRIC.matcher(expression);
                    while (names.find()) {
                        String name = names.group();
                        assertThat(scrape)
                                .as("a series of %s (in %s)", name, expression)
                                .anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
                    }
                    Matcher selectors = SELECTOR.matcher(expression);
                    while (selectors.find()) {
                        String name = selectors.group(1);
                        Matcher exact = EXACT.matcher(selectors.group(2));
                        while (exact.find()) {
                            String label = exact.group(1) + "=\"" + exact.group(2) + "\"";
                            assertThat(scrape)
                                    .as("a series of %s with %s (in %s)", name, label, expression)
                                    .anyMatch(l -> l.startsWith(name + "{") && l.contains(label));
                        }
                    }
                }
            });
            for (TestGateway gw : List.of(live, down, unbindable)) {
                api.delete(gw.path(), "Prefer", "wait=10");
            }
        }
    }

    /** Every query of every panel and of the gateway variable of deploy/grafana/gatehouse.json. */
    private static List<String> grafanaExpressions() throws IOException {
        JsonNode board = JSON.readTree(Files.readString(Path.of("deploy", "grafana", "gatehouse.json")));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : board.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString());
            }
        }
        for (JsonNode variable : board.path("templating").path("list")) {
            if (variable.has("definition")) {
                expressions.add(variable.path("definition").asString());
            }
        }
        return expressions;
    }

    /** The expression of every rule of deploy/prometheus/gatehouse-alerts.yml. */
    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> rules;
        try (Reader in = Files.newBufferedReader(Path.of("deploy", "prometheus", "gatehouse-alerts.yml"))) {
            rules = new Yaml().load(in);
        }
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                assertThat(rule).containsKeys("alert", "expr");
                expressions.add((String) rule.get("expr"));
            }
        }
        return expressions;
    }

    @Test
    void aFailureIsCountedByReasonAndTheSeriesOfARemovedListenerAndGatewayLeaveTheScrape() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            int downPort = FreePorts.next();
            TestGateway gw = TestGateway.named("metrics-removal")
                    .listen("127.0.0.1", listenPort)
                    .backends(backend.port(), "127.0.0.1")
                    .extraListener("down", downPort, FreePorts.next());
            api.apply(gw);
            String gateway = "gateway=\"" + gw.path().toLowerCase(Locale.ROOT) + "\"";

            relayOnce(listenPort, backend);
            try (Socket refused = new Socket("127.0.0.1", downPort)) {
                assertThat(refused.getInputStream().read())
                        .as("closed: no server accepted")
                        .isEqualTo(-1);
            }
            // Counted on the event loop after the bytes were passed on and the connection closed: bounded waits.
            eventually(() -> assertThat(series(gateway, "gatehouse_connection_failures_total"))
                    .anyMatch(s -> s.contains("listener=\"down\"")
                            && s.contains("reason=\"connect-failed\"")
                            && s.endsWith(" 1.0")));
            eventually(() -> assertThat(series(gateway, "gatehouse_listener_bytes_total"))
                    .anyMatch(s -> s.contains("listener=\"listener\"") && !s.endsWith(" 0.0")));
            eventually(() -> assertThat(series(gateway, "gatehouse_backend_pool_servers"))
                    .anyMatch(s -> s.contains("pool=\"down-pool\"")));

            api.apply(gw.withoutExtraListener("down"));
            eventually(() -> assertThat(series(gateway, ""))
                    .as("no series of the removed listener or its pool")
                    .noneMatch(s -> s.contains("listener=\"down\"") || s.contains("pool=\"down-pool\""))
                    .anyMatch(s -> s.contains("listener=\"listener\"")));

            api.delete(gw.path(), "Prefer", "wait=10");
            eventually(() -> assertThat(series(gateway, ""))
                    .as("series of the deleted gateway")
                    .isEmpty());
        }
    }

    /**
     * The transport the scrape names is the one the settings chose on this machine: io_uring by default where the
     * kernel allows it (CI requires it, TransportTests); NIO with {@code GATEHOUSE_DATAPLANE_IO_URING=false}, as CI's
     * second pass runs.
     */
    @Test
    void theDataPlanesTransportIsScraped() throws Exception {
        String setting = System.getenv("GATEHOUSE_DATAPLANE_IO_URING");
        boolean ioUring = setting == null || Boolean.parseBoolean(setting);
        String expected = ioUring && IoUring.isAvailable() ? "io_uring" : "nio";
        assertThat(series("", "gatehouse_dataplane_info"))
                .containsExactly("gatehouse_dataplane_info{transport=\"" + expected + "\"} 1");
    }

    /** One client connection through the listener: a few bytes to the backend and back. */
    private static void relayOnce(int listenPort, CaptureBackend backend) throws Exception {
        try (Socket client = new Socket("127.0.0.1", listenPort)) {
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            try (Socket server = backend.accept()) {
                assertThat(CaptureBackend.readN(server, 4)).asString().isEqualTo("ping");
                server.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                InputStream in = client.getInputStream();
                assertThat(in.readNBytes(4)).asString().isEqualTo("pong");
            }
        }
    }

    static void eventually(ThrowingRunnable check) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(check);
    }
}
