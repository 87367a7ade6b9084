package dev.gatehouse.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ApiSettings;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.InstanceStatus;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProbeProperties;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.operations.AsyncOperation;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.replicas.InstanceSettings;
import dev.gatehouse.gateway.replicas.InstanceStatuses;
import dev.gatehouse.gateway.replicas.Instances;
import dev.gatehouse.gateway.replicas.Peers;
import dev.gatehouse.gateway.rules.GatewayRules;
import dev.gatehouse.gateway.rules.ListenerPolicy;
import dev.gatehouse.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store against the real database (H2, or PostgreSQL in CI's second pass; the Flyway schema either
 * way): serialized read-modify-write, idempotent
 * writes, status that never touches the etag, and rejected writes that leave no trace.
 */
@JdbcTest(
        // The SQL classes of every table (GatewayRows, AsyncOperationRows, InstanceRows, InstanceStatusRows).
        includeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = Repository.class),
        properties = {
            "spring.datasource.url=${GATEHOUSE_TEST_DATASOURCE_URL:jdbc:h2:mem:gatehouse-store;DB_CLOSE_DELAY=-1}",
            "spring.datasource.username=${GATEHOUSE_TEST_DATASOURCE_USERNAME:sa}",
            "spring.datasource.password=${GATEHOUSE_TEST_DATASOURCE_PASSWORD:}"
        })
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, ValidationAutoConfiguration.class})
@Import({
    GatewayStore.class,
    StatusRecorder.class,
    PendingSettler.class,
    StoredDocuments.class,
    GatewayRules.class,
    ArmJsonConfiguration.class,
    AsyncOperations.class,
    Instances.class,
    InstanceStatuses.class,
    Peers.class,
    ListenerPolicy.class,
    SecretCipher.class
})
@EnableConfigurationProperties({
    ApiSettings.class,
    InstanceSettings.class,
    ListenerPolicy.Settings.class,
    SecretCipher.Settings.class
})
class GatewayStoreTests {

    private static final JsonMapper JSON = ArmJsonConfiguration.mapper();

    @Autowired
    GatewayStore store;

    @Autowired
    AsyncOperations operations;

    @Autowired
    Instances instances;

    @Autowired
    StatusRecorder recorder;

    @Autowired
    PendingSettler settler;

    @Autowired
    Peers peers;

    private String status(String operationId) {
        return operations.get(TestGateway.SUBSCRIPTION, operationId, "local").status();
    }

    private static GatewayKey key(String name) {
        return new GatewayKey(TestGateway.SUBSCRIPTION, TestGateway.RESOURCE_GROUP, name);
    }

    private static ApplicationGateway document(String name) {
        return JSON.treeToValue(
                TestGateway.named(name)
                        .listen("127.0.0.1", 5000)
                        .backends(6000, "10.0.0.4")
                        .probe(null)
                        .json(),
                ApplicationGateway.class);
    }

    @Test
    void concurrentChildWritesToOneGatewayAreAllKept() throws Exception {
        GatewayKey key = key("store-concurrent");
        store.write(key, current -> document("store-concurrent"));
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String probe = "probe-" + i;
            done.add(pool.submit(() -> {
                start.await();
                return store.write(key, current -> {
                    var probes = new ArrayList<>(
                            ChildCollection.PROBES.items(current.spec().properties()));
                    probes.add(new ChildResource<>(
                            null,
                            probe,
                            null,
                            null,
                            new ProbeProperties(Protocol.Tcp, null, null, null, 5, 5, 2, null, null, null)));
                    return current.spec()
                            .withProperties(current.spec().properties().with(ChildCollection.PROBES, probes));
                });
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        StoredGateway stored = store.find(key).orElseThrow();
        assertThat(ChildCollection.PROBES.items(stored.spec().properties())).hasSize(writers);
        assertThat(stored.generation()).isEqualTo(1 + writers);
    }

    @Test
    void writingTheSameDocumentAgainChangesNeitherEtagNorGeneration() {
        GatewayKey key = key("store-idempotent");
        var first = store.write(key, current -> document("store-idempotent"));
        var second = store.write(key, current -> document("store-idempotent"));
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.changed()).isFalse();
        assertThat(second.gateway().etag()).isEqualTo(first.gateway().etag());
        assertThat(second.gateway().generation()).isEqualTo(first.gateway().generation());
    }

    @Test
    void statusIsRecordedForTheCurrentGenerationOnlyAndLeavesTheEtagAlone() {
        GatewayKey key = key("store-status");
        var written = store.write(key, current -> document("store-status"));
        long generation = written.gateway().generation();
        assertThat(recorder.recordApplied(key.value(), generation - 1, ProvisioningState.Failed, null))
                .isFalse();
        assertThat(recorder.recordApplied(key.value(), generation, ProvisioningState.Succeeded, null))
                .isTrue();
        StoredGateway stored = store.find(key).orElseThrow();
        assertThat(stored.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        assertThat(stored.appliedGeneration()).isEqualTo(generation);
        assertThat(stored.etag()).isEqualTo(written.gateway().etag());
    }

    @Test
    void anInvalidDocumentIsRefusedAndNothingIsStored() {
        GatewayKey key = key("store-invalid");
        ApplicationGateway doc = document("store-invalid");
        ApplicationGateway invalid = new ApplicationGateway(null, null, null, null, null, null, doc.properties());
        assertThatThrownBy(() -> store.write(key, current -> invalid))
                .isInstanceOfSatisfying(
                        ArmException.class,
                        e -> assertThat(e.error().details())
                                .extracting(d -> d.code() + "@" + d.target())
                                .containsExactly("MissingRequiredProperty@location"));
        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void gatewaysAreFoundByTheirIdIgnoringCase() {
        store.write(key("Store-Case"), current -> document("Store-Case"));
        assertThat(store.find(new GatewayKey(TestGateway.SUBSCRIPTION, "RG-TEST", "store-case")))
                .isPresent();
        assertThat(store.list(TestGateway.SUBSCRIPTION.toUpperCase(), "rg-test"))
                .extracting(g -> g.key().name())
                .contains("Store-Case");
    }

    @Test
    void anOperationSettlesWithTheOutcomeOfItsGenerationOrOfANewerOneThatContainsIt() {
        GatewayKey key = key("store-operations");
        var first = store.write(key, current -> document("store-operations"));
        var second = store.write(
                key,
                current -> document("store-operations")
                        .withProperties(document("store-operations").properties()));
        var third = store.write(
                key,
                current -> new ApplicationGateway(
                        null,
                        null,
                        null,
                        "northeurope",
                        null,
                        null,
                        document("store-operations").properties()));
        assertThat(status(first.operationId())).isEqualTo("InProgress");
        assertThat(second.operationId()).isNotEqualTo(first.operationId());

        // An outcome for a generation that is no longer current settles nothing.
        assertThat(recorder.recordApplied(key.value(), first.gateway().generation(), ProvisioningState.Succeeded, null))
                .isFalse();
        assertThat(status(first.operationId())).isEqualTo("InProgress");

        // The current generation failed: every pending write up to it fails with the same error.
        var error = ApiError.of("ListenerBindFailed", "port in use", "properties.listeners[0]");
        assertThat(recorder.recordApplied(key.value(), third.gateway().generation(), ProvisioningState.Failed, error))
                .isTrue();
        AsyncOperation failed = operations.get(TestGateway.SUBSCRIPTION, first.operationId(), "local");
        assertThat(failed.status()).isEqualTo("Failed");
        assertThat(failed.error().code()).isEqualTo("ListenerBindFailed");
        assertThat(failed.endTime()).isNotNull();
        assertThat(status(third.operationId())).isEqualTo("Failed");

        // A later success does not rewrite history, and a write that changes nothing settles at once.
        recorder.recordApplied(key.value(), third.gateway().generation(), ProvisioningState.Succeeded, null);
        assertThat(status(third.operationId())).isEqualTo("Failed");
        var unchanged = store.write(key, current -> current.spec());
        assertThat(unchanged.changed()).isFalse();
        assertThat(status(unchanged.operationId())).isEqualTo("Succeeded");
    }

    @Test
    void deletingCancelsPendingWritesAndTheDeleteSucceedsOnceTheDataPlaneLetGo() {
        GatewayKey key = key("store-operations-delete");
        var written = store.write(key, current -> document("store-operations-delete"));
        var deleted = store.delete(key, current -> {}).orElseThrow();

        AsyncOperation canceled = operations.get(TestGateway.SUBSCRIPTION, written.operationId(), "local");
        assertThat(canceled.status()).isEqualTo("Canceled");
        assertThat(canceled.error().code()).isEqualTo("OperationCanceled");
        assertThat(status(deleted.operationId())).isEqualTo("InProgress");
        recorder.recordRemoved(key.value());
        assertThat(status(deleted.operationId())).isEqualTo("Succeeded");
        assertThat(store.delete(key, current -> {})).isEmpty();
    }

    @Test
    void stopAndStartAreNewGenerationsWithTheirOwnOperations() {
        GatewayKey key = key("store-operations-stop");
        var written = store.write(key, current -> document("store-operations-stop"));
        var stopped = store.setOperationalState(key, OperationalState.Stopped).orElseThrow();
        assertThat(stopped.gateway().generation()).isEqualTo(written.gateway().generation() + 1);
        assertThat(stopped.gateway().etag()).isEqualTo(written.gateway().etag());
        recorder.recordApplied(key.value(), stopped.gateway().generation(), ProvisioningState.Succeeded, null);
        assertThat(status(stopped.operationId())).isEqualTo("Succeeded");
        assertThat(status(written.operationId())).isEqualTo("Succeeded");
        assertThat(store.setOperationalState(key("store-operations-none"), OperationalState.Stopped))
                .isEmpty();
    }

    @Test
    void withSeveralLiveInstancesAGatewaySucceedsOnlyWhenEveryOneAppliedItAndFailsWhenOneFailed() {
        GatewayKey key = key("store-replicas");
        String peer = "peer-replica:1";
        peers.register(peer);
        try {
            assertThat(instances.live()).containsExactlyInAnyOrder(instances.id(), peer);
            var written = store.write(key, current -> document("store-replicas"));
            long generation = written.gateway().generation();

            assertThat(recorder.recordApplied(key.value(), generation, ProvisioningState.Succeeded, null))
                    .isTrue();
            assertThat(store.find(key).orElseThrow().provisioningState())
                    .as("the peer has not applied it")
                    .isEqualTo(ProvisioningState.Updating);
            assertThat(status(written.operationId())).isEqualTo("InProgress");
            peerRecords(key, peer, generation, "Succeeded", null);
            settler.settlePending();
            StoredGateway served = store.find(key).orElseThrow();
            assertThat(served.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
            assertThat(served.instances())
                    .extracting(InstanceStatus::instance)
                    .containsExactlyInAnyOrder(instances.id(), peer);
            assertThat(status(written.operationId())).isEqualTo("Succeeded");

            var second = store.write(
                    key,
                    current -> new ApplicationGateway(
                            null,
                            null,
                            null,
                            "northeurope",
                            null,
                            null,
                            document("store-replicas").properties()));
            recorder.recordApplied(key.value(), second.gateway().generation(), ProvisioningState.Succeeded, null);
            peerRecords(
                    key,
                    peer,
                    second.gateway().generation(),
                    "Failed",
                    "{\"code\":\"ApplyFailed\",\"message\":\"port in use\"}");
            settler.settlePending();
            StoredGateway failed = store.find(key).orElseThrow();
            assertThat(failed.provisioningState()).isEqualTo(ProvisioningState.Failed);
            assertThat(failed.provisioningError().message()).isEqualTo("Instance " + peer + ": port in use");
            assertThat(status(second.operationId())).isEqualTo("Failed");

            // The peer goes away: it is no longer waited for.
            peers.remove(peer);
            var third = store.write(key, current -> document("store-replicas"));
            recorder.recordApplied(key.value(), third.gateway().generation(), ProvisioningState.Succeeded, null);
            assertThat(status(third.operationId())).isEqualTo("Succeeded");
            assertThat(store.find(key).orElseThrow().instances())
                    .extracting(InstanceStatus::instance)
                    .containsExactly(instances.id());
        } finally {
            peers.remove(peer);
        }
    }

    private void peerRecords(GatewayKey key, String peer, long generation, String state, String errorJson) {
        peers.records(key.value(), peer, generation, state, errorJson);
    }
}
