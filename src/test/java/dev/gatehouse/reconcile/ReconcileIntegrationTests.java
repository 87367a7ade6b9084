package dev.gatehouse.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Zero-downtime reconciliation: what changes around an open connection leaves it alone, what is removed
 * drains, what fails keeps the last good state and heals without a restart, bursts collapse, and status
 * says which generation it describes.
 */
class ReconcileIntegrationTests extends ApiIntegrationTest {

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends a byte each way over an open proxied connection. */
    private static void exchange(Socket client, Socket upstream, char c) throws IOException {
        client.getOutputStream().write(c);
        assertThat(upstream.getInputStream().read()).isEqualTo(c);
        upstream.getOutputStream().write(c);
        assertThat(client.getInputStream().read()).isEqualTo(c);
    }

    @Test
    void anOpenConnectionOnOneListenerSurvivesChangesToAnotherListenerAndToItsOwnPool() throws Exception {
        try (CaptureBackend a = CaptureBackend.start("127.0.0.1");
                CaptureBackend b = CaptureBackend.start("127.0.0.1")) {
            int portA = FreePorts.next();
            int portB = FreePorts.next();
            TestGateway gw = TestGateway.named("reconcile-keep")
                    .listen("127.0.0.1", portA)
                    .backends(a.port(), "127.0.0.1");
            api.apply(gw);
            try (Socket client = connect(portA)) {
                client.getOutputStream().write('0');
                Socket upstream = a.accept();
                assertThat(upstream.getInputStream().read()).isEqualTo('0');

                api.apply(gw.extraListener("b", portB, b.port()));
                exchange(client, upstream, '1');
                api.apply(gw.extraListener("b", portB, a.port()));
                exchange(client, upstream, '2');
                api.apply(gw.backends(a.port(), "127.0.0.1", "127.0.0.2"));
                exchange(client, upstream, '3');
                api.apply(gw.withoutExtraListener("b").backends(a.port(), "127.0.0.1"));
                exchange(client, upstream, '4');
                assertThatThrownBy(() -> connect(portB)).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aRemovedListenerRefusesNewConnectionsAtOnceAndDrainsOpenOnesUntilTheTimeout() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = FreePorts.next();
            int keep = FreePorts.next();
            TestGateway gw = TestGateway.named("reconcile-drain")
                    .listen("127.0.0.1", keep)
                    .backends(backend.port(), "127.0.0.1")
                    .drain(2)
                    .extraListener("leaving", port, backend.port());
            api.apply(gw);
            try (Socket client = connect(port)) {
                client.getOutputStream().write('a');
                Socket upstream = backend.accept();
                assertThat(upstream.getInputStream().read()).isEqualTo('a');

                api.apply(gw.withoutExtraListener("leaving"));
                // First the exchange, which must fall within the drain timeout; a refused connect does not.
                exchange(client, upstream, 'b');
                assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
                // The listener's own settings have no connectionDraining: the default (2 s here) applies.
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> readOrClosed(client) == -1);
            }
        }
    }

    @Test
    void aServerRemovedFromItsPoolShowsDrainingKeepsItsConnectionThenClosesIt() throws Exception {
        int port = FreePorts.next();
        try (CaptureBackend one = CaptureBackend.start("127.0.0.1", port);
                CaptureBackend two = CaptureBackend.start("127.0.0.2", port)) {
            int listen = FreePorts.next();
            TestGateway gw = TestGateway.named("reconcile-server-drain")
                    .listen("127.0.0.1", listen)
                    .backends(port, "127.0.0.2")
                    // Long enough for the backend health call and the exchange below on a loaded machine.
                    .drain(5);
            api.apply(gw);
            try (Socket client = connect(listen)) {
                client.getOutputStream().write('x');
                Socket upstream = two.accept();
                assertThat(upstream.getInputStream().read()).isEqualTo('x');

                api.apply(gw.backends(port, "127.0.0.1"));
                JsonNode servers = api.post(gw.path() + "/backendhealth", "")
                        .json()
                        .path("backendAddressPools")
                        .get(0)
                        .path("backendHttpSettingsCollection")
                        .get(0)
                        .path("servers");
                assertThat(servers.valueStream()
                                .map(s -> s.path("address").asString() + "="
                                        + s.path("health").asString()))
                        .contains("127.0.0.2=Draining");
                exchange(client, upstream, 'y');
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> readOrClosed(client) == -1);
            }
        }
    }

    @Test
    void aPortInUseFailsNamingItAndSucceedsOnceFreedWithoutARestart() throws Exception {
        // Not an ephemeral port: once the squatter lets go, no client socket may take it before the gateway does.
        int port = FreePorts.next();
        ServerSocket squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        TestGateway gw =
                TestGateway.named("reconcile-heal").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        var r = api.put(gw.path(), gw.json());
        assertThat(r.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Failed");
        assertThat(r.json()
                        .path("properties")
                        .path("provisioningError")
                        .path("message")
                        .asString())
                .contains("127.0.0.1:" + port);
        JsonNode programmed = condition(r.json(), "Programmed");
        assertThat(programmed.path("status").asString()).isEqualTo("False");
        assertThat(programmed.path("reason").asString()).isEqualTo("ListenerBindFailed");

        squatter.close();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(api.get(gw.path())
                                .json()
                                .path("properties")
                                .path("provisioningState")
                                .asString())
                        .isEqualTo("Succeeded"));
        connect(port).close();
    }

    @Test
    void aListenerThatCannotMoveToATakenPortKeepsServingWhereItWasUntilThePortIsFree() throws Exception {
        int oldPort = FreePorts.next();
        // Not an ephemeral port: once the squatter lets go, no client socket may take it before the gateway does.
        int newPort = FreePorts.next();
        ServerSocket squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), newPort));
        TestGateway gw =
                TestGateway.named("reconcile-move").listen("127.0.0.1", oldPort).backends(9, "127.0.0.1");
        api.apply(gw);
        var moved = api.put(gw.path(), gw.listen("127.0.0.1", newPort).json());
        assertThat(moved.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Failed");
        connect(oldPort).close(); // last known good
        squatter.close();
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(api.get(gw.path())
                                .json()
                                .path("properties")
                                .path("provisioningState")
                                .asString())
                        .isEqualTo("Succeeded"));
        connect(newPort).close();
        assertThatThrownBy(() -> connect(oldPort)).isInstanceOf(ConnectException.class);
    }

    @Test
    void aListenerMovesFromOneAddressToTheWildcardOnTheSamePort() throws Exception {
        // Free on every address, since the listener moves to the wildcard.
        int port = FreePorts.next("0.0.0.0");
        TestGateway gw = TestGateway.named("reconcile-wildcard")
                .listen("127.0.0.1", port)
                .backends(9, "127.0.0.1");
        api.apply(gw);
        api.apply(gw.listen("0.0.0.0", port));
        connect(port).close();
    }

    @Test
    void aBurstOfWritesConvergesToTheStoredDocumentWithFarFewerApplies() throws Exception {
        try (CaptureBackend even = CaptureBackend.start("127.0.0.1");
                CaptureBackend odd = CaptureBackend.start("127.0.0.1")) {
            int listen = FreePorts.next();
            String name = "reconcile-burst";
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<GatehouseApi.Response>> writes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int backend = i % 2 == 0 ? even.port() : odd.port();
                int version = i;
                writes.add(pool.submit(() -> {
                    TestGateway gw =
                            TestGateway.named(name).listen("127.0.0.1", listen).backends(backend, "127.0.0.1");
                    var doc = gw.json();
                    doc.putObject("tags").put("version", String.valueOf(version));
                    return api.put(gw.path(), doc);
                }));
            }
            for (Future<GatehouseApi.Response> w : writes) {
                assertThat(w.get().status()).isIn(200, 201);
            }
            pool.shutdown();
            JsonNode stored = api.get(TestGateway.path(name)).json();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(api.get(TestGateway.path(name))
                                    .json()
                                    .path("properties")
                                    .path("provisioningState")
                                    .asString())
                            .isEqualTo("Succeeded"));
            int version = Integer.parseInt(stored.path("tags").path("version").asString());
            CaptureBackend expected = version % 2 == 0 ? even : odd;
            try (Socket client = connect(listen)) {
                client.getOutputStream().write('z');
                assertThat(expected.accept().getInputStream().read()).isEqualTo('z');
            }
            String key = TestGateway.path(name).substring(1).toLowerCase();
            // A reconcile is timed after it has recorded its status: wait for the count rather than race it.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(applies(key)).isPositive().isLessThan(100));
        }
    }

    @Test
    void generationCountsDocumentChangesAndConditionsSayWhichOneTheyDescribe() {
        TestGateway gw = TestGateway.named("reconcile-status")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        JsonNode first = api.apply(gw).json();
        long generation = first.path("properties").path("generation").asLong();
        JsonNode programmed = condition(first, "Programmed");
        assertThat(programmed.path("status").asString()).isEqualTo("True");
        assertThat(programmed.path("observedGeneration").asLong()).isEqualTo(generation);
        assertThat(condition(first, "Accepted").path("observedGeneration").asLong())
                .isEqualTo(generation);

        assertThat(api.apply(gw).json().path("properties").path("generation").asLong())
                .isEqualTo(generation);
        var changed = gw.json();
        changed.putObject("tags").put("v", "2");
        JsonNode second = api.apply(gw.path(), changed).json();
        assertThat(second.path("properties").path("generation").asLong()).isEqualTo(generation + 1);
        assertThat(condition(second, "Programmed").path("observedGeneration").asLong())
                .isEqualTo(generation + 1);
    }

    @Test
    void aStoppedGatewayBindsNothingUntilStarted() throws Exception {
        int port = FreePorts.next();
        TestGateway gw =
                TestGateway.named("reconcile-stop").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        api.apply(gw);
        var stopped = api.post(gw.path() + "/stop", "");
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().path("properties").path("operationalState").asString())
                .isEqualTo("Stopped");
        assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
        // A write to a stopped gateway is stored but does not start it.
        var changed = gw.json();
        changed.putObject("tags").put("while", "stopped");
        assertThat(api.put(gw.path(), changed)
                        .json()
                        .path("properties")
                        .path("operationalState")
                        .asString())
                .isEqualTo("Stopped");
        assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);

        var started = api.post(gw.path() + "/start", "");
        assertThat(started.json().path("properties").path("operationalState").asString())
                .isEqualTo("Running");
        assertThat(started.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Succeeded");
        connect(port).close();
        assertThat(api.post(TestGateway.path("reconcile-nobody") + "/stop", "").status())
                .isEqualTo(404);
    }

    /** Reconciles of the gateway so far, successful or not ({@code gatehouse.reconcile}). */
    private double applies(String key) {
        double applies = 0;
        for (String result : new String[] {"success", "failure"}) {
            var metric =
                    api.getRaw("/actuator/metrics/gatehouse.reconcile?tag=gateway:/" + key + "&tag=result:" + result);
            if (metric.status() == 200) {
                applies +=
                        metric.json().path("measurements").get(0).path("value").asDouble();
            }
        }
        return applies;
    }

    private static JsonNode condition(JsonNode gateway, String type) {
        for (JsonNode c : gateway.path("properties").path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return c;
            }
        }
        throw new AssertionError("no " + type + " condition in " + gateway);
    }

    private static int readOrClosed(Socket s) {
        try {
            s.setSoTimeout(200);
            return s.getInputStream().read();
        } catch (SocketTimeoutException stillOpen) {
            return 0;
        } catch (IOException reset) {
            return -1;
        }
    }
}
