package dev.gatehouse.gateway.operations;

import dev.gatehouse.gateway.model.GatewayKey;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** One row of {@code async_operation} (see {@code V3__async_operation.sql}); its id is assigned here. */
record AsyncOperationRow(
        String id,
        String resourceKey,
        String subscriptionKey,
        String resourceId,
        AsyncOperation.Kind kind,
        Long generation,
        OperationStatus status,
        String error,
        Instant startTime,
        Instant endTime) {

    /** A new operation, InProgress, with a random id. */
    static AsyncOperationRow started(GatewayKey key, AsyncOperation.Kind kind, Long generation, Instant now) {
        return new AsyncOperationRow(
                UUID.randomUUID().toString(),
                key.value(),
                key.subscriptionId().toLowerCase(Locale.ROOT),
                key.id(),
                kind,
                generation,
                OperationStatus.InProgress,
                null,
                now,
                null);
    }

    /** Settled at once (a write that changed nothing reports the outcome already recorded). */
    AsyncOperationRow settled(OperationStatus newStatus, String errorJson, Instant now) {
        return new AsyncOperationRow(
                id, resourceKey, subscriptionKey, resourceId, kind, generation, newStatus, errorJson, startTime, now);
    }
}
