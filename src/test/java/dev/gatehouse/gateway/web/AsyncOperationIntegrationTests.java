package dev.gatehouse.gateway.web;

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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * ARM's asynchronous protocol: a write answers at once with Updating and an Azure-AsyncOperation URL, which
 * reports InProgress, then Succeeded only once the data plane serves the change, or Failed with the apply's
 * error.
 */
class AsyncOperationIntegrationTests extends ApiIntegrationTest {

    private GatehouseApi async() {
        return api.async();
    }

    /** The path and query of the operation URL of a write's answer, checked to be absolute and on this server. */
    private String operationOf(GatehouseApi.Response r) {
        String url =
                r.header("Azure-AsyncOperation").orElseThrow(() -> new AssertionError("no Azure-AsyncOperation: " + r));
        URI uri = URI.create(url);
        assertThat(uri.isAbsolute()).as(url).isTrue();
        assertThat(uri.getPort()).isEqualTo(apiPort);
        assertThat(uri.getPath())
                .matches("/subscriptions/" + TestGateway.SUBSCRIPTION
                        + "/providers/Microsoft.Network/locations/[a-z0-9]+/azureAsyncOperations/[0-9a-f-]{36}");
        assertThat(uri.getQuery()).isEqualTo(GatehouseApi.API_VERSION);
        return uri.getPath() + "?" + uri.getQuery();
    }

    private JsonNode awaitSettled(String operation) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    GatehouseApi.Response r = api.get(operation);
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    last[0] = r.json();
                    boolean done = !"InProgress".equals(last[0].path("status").asString());
                    assertThat(r.header("Retry-After").isPresent())
                            .as("Retry-After while InProgress only")
                            .isEqualTo(!done);
                    return done;
                });
        return last[0];
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
    void aPutAnswersAtOnceWithUpdatingAndItsOperationSucceedsOnlyOnceTheListenerServes() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = FreePorts.next();
            TestGateway gw =
                    TestGateway.named("async-put").listen("127.0.0.1", port).backends(backend.port(), "127.0.0.1");
            Instant before = Instant.now();

            GatehouseApi.Response put = async().put(gw.path(), gw.json());

            assertThat(put.status()).isEqualTo(201);
            assertThat(put.json().path("properties").path("provisioningState").asString())
                    .isEqualTo("Updating");
            String operation = operationOf(put);
            JsonNode settled = awaitSettled(operation);
            assertThat(settled.path("status").asString()).isEqualTo("Succeeded");
            assertThat(settled.path("operation").asString()).isEqualTo("CreateOrUpdate");
            assertThat(settled.path("resourceId").asString())
                    .isEqualTo(put.json().path("id").asString());
            assertThat(settled.has("error")).isFalse();
            assertThat(Instant.parse(settled.path("startTime").asString())).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(Instant.parse(settled.path("endTime").asString()))
                    .isAfterOrEqualTo(Instant.parse(settled.path("startTime").asString()));
            assertThat(accepts(port)).as("Succeeded means the listener serves").isTrue();
            assertThat(api.get(gw.path())
                            .json()
                            .path("properties")
                            .path("provisioningState")
                            .asString())
                    .isEqualTo("Succeeded");

            // The same document again changes nothing: its operation is settled from the start.
            GatehouseApi.Response again = async().put(gw.path(), gw.json());
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.header("Retry-After")).isEmpty();
            assertThat(api.get(operationOf(again)).json().path("status").asString())
                    .isEqualTo("Succeeded");
            api.delete(gw.path());
        }
    }

    @Test
    void aListenerOnAPortInUseFailsTheOperationWithTheApplyError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            TestGateway gw = TestGateway.named("async-fail")
                    .listen("127.0.0.1", taken.getLocalPort())
                    .backends(9, "127.0.0.1");

            GatehouseApi.Response put = async().put(gw.path(), gw.json());

            assertThat(put.status()).isEqualTo(201);
            JsonNode settled = awaitSettled(operationOf(put));
            assertThat(settled.path("status").asString()).isEqualTo("Failed");
            assertThat(settled.path("error").path("code").asString()).isEqualTo("ApplyFailed");
            JsonNode detail = settled.path("error").path("details").path(0);
            assertThat(detail.path("code").asString()).isEqualTo("ListenerBindFailed");
            assertThat(detail.path("target").asString()).isEqualTo("properties.listeners[0]");
            assertThat(detail.path("message").asString()).contains(String.valueOf(taken.getLocalPort()));
            JsonNode gateway = api.get(gw.path()).json();
            assertThat(gateway.path("properties").path("provisioningState").asString())
                    .isEqualTo("Failed");
        } finally {
            api.delete(TestGateway.path("async-fail"));
        }
    }

    @Test
    void deleteStopAndStartAreAcceptedAndTheirOperationsReportWhenTheDataPlaneFollowed() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = FreePorts.next();
            TestGateway gw = TestGateway.named("async-lifecycle")
                    .listen("127.0.0.1", port)
                    .backends(backend.port(), "127.0.0.1");
            api.apply(gw);

            GatehouseApi.Response stop = async().post(gw.path() + "/stop", "");
            assertThat(stop.status()).isIn(200, 202);
            JsonNode stopped = awaitSettled(operationOf(stop));
            assertThat(stopped.path("status").asString()).isEqualTo("Succeeded");
            assertThat(stopped.path("operation").asString()).isEqualTo("Stop");
            assertThat(accepts(port))
                    .as("a stopped gateway's listener is closed")
                    .isFalse();

            GatehouseApi.Response start = async().post(gw.path() + "/start", "");
            assertThat(awaitSettled(operationOf(start)).path("status").asString())
                    .isEqualTo("Succeeded");
            assertThat(accepts(port)).isTrue();

            GatehouseApi.Response delete = async().delete(gw.path());
            assertThat(delete.status()).isIn(200, 202);
            JsonNode deleted = awaitSettled(operationOf(delete));
            assertThat(deleted.path("status").asString()).isEqualTo("Succeeded");
            assertThat(deleted.path("operation").asString()).isEqualTo("Delete");
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void childWritesAreAsynchronousToo() {
        int port = FreePorts.next();
        TestGateway gw =
                TestGateway.named("async-child").listen("127.0.0.1", port).backends(9, "127.0.0.1");
        api.apply(gw);
        String probe =
                "{\"properties\":{\"protocol\":\"Tcp\",\"interval\":30,\"timeout\":30,\"unhealthyThreshold\":3}}";

        GatehouseApi.Response put = async().put(gw.path() + "/probes/p1", probe);
        assertThat(put.status()).isEqualTo(201);
        assertThat(awaitSettled(operationOf(put)).path("status").asString()).isEqualTo("Succeeded");

        GatehouseApi.Response delete = async().delete(gw.path() + "/probes/p1");
        assertThat(delete.status()).isIn(200, 202);
        assertThat(awaitSettled(operationOf(delete)).path("status").asString()).isEqualTo("Succeeded");
        api.delete(gw.path());
    }

    @Test
    void preferWaitAnswersWithTheFinalStateAndTheOperationAlreadySettled() {
        int port = FreePorts.next();
        TestGateway gw =
                TestGateway.named("async-prefer").listen("127.0.0.1", port).backends(9, "127.0.0.1");

        GatehouseApi.Response put = async().put(gw.path(), gw.json(), "Prefer", "wait=10");

        assertThat(put.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Succeeded");
        assertThat(put.header("Retry-After")).isEmpty();
        assertThat(api.get(operationOf(put)).json().path("status").asString()).isEqualTo("Succeeded");
        GatehouseApi.Response delete = async().delete(gw.path(), "Prefer", "wait=10");
        assertThat(delete.status()).isEqualTo(200);
    }

    @Test
    void unknownOperationsAndOtherSubscriptionsAre404() {
        TestGateway gw = TestGateway.named("async-scope")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        String operation = operationOf(api.put(gw.path(), gw.json()));
        String otherSubscription = operation.replace(TestGateway.SUBSCRIPTION, "11111111-1111-1111-1111-111111111111");

        GatehouseApi.Response other = api.get(otherSubscription);
        GatehouseApi.Response unknown =
                api.get(operation.replaceAll("[0-9a-f-]{36}\\?", "00000000-0000-0000-0000-00000000beef?"));

        assertThat(other.status()).isEqualTo(404);
        assertThat(other.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.get(operation.replace("?" + GatehouseApi.API_VERSION, ""))
                        .status())
                .isEqualTo(200);
        assertThat(api.getRaw(operation.replace("?" + GatehouseApi.API_VERSION, ""))
                        .errorCode())
                .isEqualTo("MissingApiVersionParameter");
        api.delete(gw.path());
    }
}
