package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.replicas.InstanceStatuses;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns what the data planes did into the gateway's status: records this instance's outcome, then decides the
 * gateway's {@code provisioningState} (and settles its pending operations) once the outcome over every live
 * instance is known: Failed as soon as one failed, Succeeded when every one applied the current generation.
 * Each decision is taken under the gateway's row lock, so replicas recording at once decide exactly once.
 */
@Component
public class StatusRecorder {

    private final GatewayRows rows;
    private final InstanceStatuses instances;
    private final AsyncOperations operations;
    private final StoredDocuments documents;
    private final TransactionTemplate tx;
    private final Clock clock;

    StatusRecorder(
            GatewayRows rows,
            InstanceStatuses instances,
            AsyncOperations operations,
            StoredDocuments documents,
            PlatformTransactionManager transactions,
            Optional<Clock> clock) {
        this.rows = rows;
        this.instances = instances;
        this.operations = operations;
        this.documents = documents;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Records the outcome of this instance's apply of {@code generation}; ignored when a newer generation has
     * been stored meanwhile (its own apply will report). Returns whether it was recorded.
     */
    public boolean recordApplied(String resourceKey, long generation, ProvisioningState outcome, ApiError error) {
        String errorJson = documents.errorJson(error);
        return Boolean.TRUE.equals(tx.execute(status -> {
            Optional<GatewayRow> gateway = rows.lock(resourceKey);
            if (gateway.isEmpty() || gateway.get().generation() != generation) {
                return false;
            }
            instances.recordApplied(resourceKey, generation, outcome, errorJson);
            decide(gateway.get());
            return true;
        }));
    }

    /**
     * Records that this instance's data plane no longer serves a deleted gateway. Its pending deletes succeed
     * once every live instance has let go.
     */
    public void recordRemoved(String resourceKey) {
        tx.executeWithoutResult(status -> {
            instances.recordRemoved(resourceKey);
            settleDeleteIfRemovedEverywhere(resourceKey);
        });
    }

    /** Decides again, in its own transaction, for a gateway still Updating: the live set may have changed. */
    void decideAgain(String resourceKey) {
        tx.executeWithoutResult(s -> rows.lock(resourceKey).ifPresent(this::decide));
    }

    /** Decides again, in its own transaction, for a gateway with a delete still pending. */
    void settleDeleteAgain(String resourceKey) {
        tx.executeWithoutResult(s -> settleDeleteIfRemovedEverywhere(resourceKey));
    }

    /** Decides the gateway's status from the live instances' outcomes, if they are all in. Row lock held. */
    private void decide(GatewayRow gateway) {
        long generation = gateway.generation();
        List<InstanceStatuses.Outcome> current = instances.liveOutcomes(gateway.resourceKey()).stream()
                .filter(o -> !o.removed() && o.appliedGeneration() == generation)
                .toList();
        Optional<InstanceStatuses.Outcome> failed = current.stream()
                .filter(o -> o.state() == ProvisioningState.Failed)
                .findFirst();
        ProvisioningState state;
        String errorJson = null;
        if (failed.isPresent()) {
            state = ProvisioningState.Failed;
            errorJson = instances.replicated()
                    ? onInstance(failed.get())
                    : failed.get().errorJson();
        } else if (current.size() == instances.liveCount()) {
            state = ProvisioningState.Succeeded;
        } else {
            return;
        }
        if (rows.recordStatus(gateway.resourceKey(), generation, state, errorJson, clock.instant()) == 1) {
            operations.settleApplied(gateway.resourceKey(), generation, state, errorJson);
        }
    }

    /** An instance's error with the instance named, for a gateway served by several. */
    private String onInstance(InstanceStatuses.Outcome outcome) {
        ApiError e = documents.error(outcome.errorJson());
        return e == null
                ? null
                : documents.errorJson(new ApiError(
                        e.code(), "Instance " + outcome.instanceId() + ": " + e.message(), e.target(), e.details()));
    }

    private void settleDeleteIfRemovedEverywhere(String resourceKey) {
        if (rows.find(resourceKey).isPresent()) {
            return; // created again: its writes settle its deletes
        }
        long removed = instances.liveOutcomes(resourceKey).stream()
                .filter(InstanceStatuses.Outcome::removed)
                .count();
        if (removed == instances.liveCount()) {
            operations.settleRemoved(resourceKey);
            instances.forget(resourceKey);
        }
    }
}
