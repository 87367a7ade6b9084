package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ApiSettings;
import dev.gatehouse.arm.DatabaseOutages;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.operations.AsyncOperation;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.ReconcileTrigger;
import dev.gatehouse.gateway.store.StoredGateway;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * A write as the API performs it, asynchronously as ARM does: store it (validated, serialized per gateway)
 * together with an {@link AsyncOperation}, ask the reconciler to apply it, and answer. By default the answer
 * comes at once ({@code provisioningState: Updating}); a caller may ask to wait a bounded time for the apply
 * ({@code Prefer: wait=N}, RFC 7240), and then usually gets the final state. Either way the operation
 * reports the outcome.
 */
@Component
class GatewayWrites {

    private final GatewayStore store;
    private final AsyncOperations operations;
    private final ReconcileTrigger trigger;
    private final Duration defaultWait;
    private final Duration maxWait;

    GatewayWrites(GatewayStore store, AsyncOperations operations, ReconcileTrigger trigger, ApiSettings settings) {
        this.store = store;
        this.operations = operations;
        this.trigger = trigger;
        this.defaultWait = settings.applyWait();
        this.maxWait = settings.maxApplyWait();
    }

    /**
     * What the caller is told: the gateway as stored when answering, the operation, and whether it was
     * already settled (so the caller has the final outcome).
     */
    record Outcome(StoredGateway gateway, boolean created, String operationId, boolean done) {}

    Outcome write(GatewayKey key, Function<StoredGateway, ApplicationGateway> change, String prefer) {
        GatewayStore.Written written = store.write(key, change);
        return settle(key, written.gateway(), written.created(), written.operationId(), prefer);
    }

    /** Starts (Running) or stops (Stopped) the gateway; empty when there is no such gateway. */
    Optional<Outcome> operate(GatewayKey key, OperationalState operationalState, String prefer) {
        return store.setOperationalState(key, operationalState)
                .map(w -> settle(key, w.gateway(), false, w.operationId(), prefer));
    }

    /** Deletes the gateway; empty when there was none. The outcome's gateway is the deleted one. */
    Optional<Outcome> delete(GatewayKey key, Consumer<StoredGateway> precondition, String prefer) {
        return store.delete(key, precondition).map(d -> {
            boolean done = awaitApply(key, waitFor(prefer), d.operationId());
            return new Outcome(d.gateway(), false, d.operationId(), done);
        });
    }

    /**
     * Without a wait the answer describes the write as committed (Updating, unless it changed nothing), never
     * a race with the apply; with one, the state stored when the wait ended.
     */
    private Outcome settle(GatewayKey key, StoredGateway written, boolean created, String operationId, String prefer) {
        Duration wait = waitFor(prefer);
        boolean done = awaitApply(key, wait, operationId);
        StoredGateway now = wait.isZero() ? written : current(key, written);
        return new Outcome(now, created, operationId, done);
    }

    /**
     * The gateway as stored now, or as written when the database cannot say (an outage, or every connection busy
     * in a burst): the write is committed, so its answer must not fail now (ApiBurstFaultTests).
     */
    private StoredGateway current(GatewayKey key, StoredGateway written) {
        try {
            return store.find(key).orElse(written);
        } catch (RuntimeException e) {
            rethrowUnlessTransient(e);
            return written;
        }
    }

    private Duration waitFor(String prefer) {
        Duration wait = Prefer.waitOf(prefer).orElse(defaultWait);
        return wait.isNegative() ? Duration.ZERO : wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    /**
     * Triggers the reconcile, waits as asked, and says whether the operation has settled. The wait is for the
     * operation, not only for this process's apply: with several replicas it settles when all of them have.
     */
    private boolean awaitApply(GatewayKey key, Duration wait, String operationId) {
        var applied = trigger.reconcile(key);
        long deadline = System.nanoTime() + wait.toNanos();
        if (!wait.isZero()) {
            try {
                applied.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // The reconciler keeps going and settles the operation; the answer reports what is stored now.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return settled(operationId);
            }
        }
        while (!settled(operationId)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(25, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return settled(operationId);
            }
        }
        return true;
    }

    /**
     * Whether the operation has settled; {@code false} while the database cannot say: the write is committed, and
     * the caller follows the operation it is given.
     */
    private boolean settled(String operationId) {
        try {
            return operations.settled(operationId);
        } catch (RuntimeException e) {
            rethrowUnlessTransient(e);
            return false;
        }
    }

    private static void rethrowUnlessTransient(RuntimeException e) {
        if (DatabaseOutages.classify(e) == DatabaseOutages.Kind.OTHER) {
            throw e;
        }
    }
}
