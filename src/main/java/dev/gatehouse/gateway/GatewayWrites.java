package dev.gatehouse.gateway;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A write as the API performs it: store (validated, serialized per gateway), ask the reconciler to apply
 * it, and wait a bounded time so that the response usually carries the final provisioningState
 * ({@code Succeeded} or {@code Failed}) instead of {@code Updating}. A slow apply is not an error: the
 * response then says {@code Updating} and a later GET shows the outcome.
 */
@Component
class GatewayWrites {

    private final GatewayStore store;
    private final ReconcileTrigger trigger;
    private final Duration applyWait;

    GatewayWrites(GatewayStore store, ReconcileTrigger trigger,
            @Value("${gatehouse.api.apply-wait:10s}") Duration applyWait) {
        this.store = store;
        this.trigger = trigger;
        this.applyWait = applyWait;
    }

    GatewayStore.Written write(GatewayKey key, Function<StoredGateway, ApplicationGateway> change) {
        GatewayStore.Written written = store.write(key, change);
        awaitApply(key);
        StoredGateway now = store.find(key).orElse(written.gateway());
        return new GatewayStore.Written(now, written.created(), written.changed());
    }

    /** Starts (Running) or stops (Stopped) the gateway and waits for the data plane like a write. */
    Optional<StoredGateway> operate(GatewayKey key, String operationalState) {
        Optional<StoredGateway> changed = store.setOperationalState(key, operationalState);
        if (changed.isEmpty()) {
            return changed;
        }
        awaitApply(key);
        return store.find(key);
    }

    Optional<StoredGateway> delete(GatewayKey key, Consumer<StoredGateway> precondition) {
        Optional<StoredGateway> deleted = store.delete(key, precondition);
        if (deleted.isPresent()) {
            awaitApply(key);
        }
        return deleted;
    }

    private void awaitApply(GatewayKey key) {
        try {
            trigger.reconcile(key).get(applyWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The reconciler keeps going and records the outcome; the response reports what is stored now.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
