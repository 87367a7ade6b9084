package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.GatewayKey;
import java.util.concurrent.CompletableFuture;

/**
 * How the REST layer asks for stored desired state to be applied. Implemented by the reconciler; the
 * gateway package does not depend on it.
 */
public interface ReconcileTrigger {

    /**
     * Asks for {@code key} to be reconciled. The future completes when a reconcile of that key that
     * started after this call has finished, so it has seen every write committed before the call.
     */
    CompletableFuture<Void> reconcile(GatewayKey key);
}
