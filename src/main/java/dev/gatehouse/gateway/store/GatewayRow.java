package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import java.time.Instant;
import java.util.Locale;

/**
 * One row of {@code application_gateway}: the document as JSON text plus the columns that are queried or written
 * separately (keys, etag, generation, status). {@code id} is {@code null} until the row is inserted; {@code version}
 * is the optimistic lock {@link GatewayRows#update} checks. Nothing outside this package sees it.
 */
record GatewayRow(
        Long id,
        String resourceKey,
        String subscriptionKey,
        String groupKey,
        String subscriptionId,
        String resourceGroup,
        String name,
        String document,
        String etag,
        long generation,
        ProvisioningState provisioningState,
        Long appliedGeneration,
        String provisioningError,
        Instant createdAt,
        Instant updatedAt,
        OperationalState operationalState,
        Instant statusChangedAt,
        long version) {

    /** A gateway not stored yet: no document, generation 0, Running. */
    static GatewayRow created(GatewayKey key, Instant now) {
        return new GatewayRow(
                null,
                key.value(),
                key.subscriptionId().toLowerCase(Locale.ROOT),
                key.resourceGroup().toLowerCase(Locale.ROOT),
                key.subscriptionId(),
                key.resourceGroup(),
                key.name(),
                null,
                null,
                0,
                null,
                null,
                null,
                now,
                null,
                OperationalState.Running,
                null,
                0);
    }

    GatewayKey key() {
        return new GatewayKey(subscriptionId, resourceGroup, name);
    }

    /** Replaces the desired state; a new generation starts and the status goes back to Updating. */
    GatewayRow withDocument(String json, String newEtag, Instant now) {
        return nextGeneration(json, newEtag, operationalState, now);
    }

    /** The same document with its secrets stored differently (encrypted): no new generation, same etag. */
    GatewayRow reencrypted(String json) {
        return new GatewayRow(
                id,
                resourceKey,
                subscriptionKey,
                groupKey,
                subscriptionId,
                resourceGroup,
                name,
                json,
                etag,
                generation,
                provisioningState,
                appliedGeneration,
                provisioningError,
                createdAt,
                updatedAt,
                operationalState,
                statusChangedAt,
                version);
    }

    /** Running or Stopped; a change is a new generation, applied by the reconciler like a document change. */
    GatewayRow withOperationalState(OperationalState state, Instant now) {
        return nextGeneration(document, etag, state, now);
    }

    /** A new generation to apply: the status goes back to Updating until the data plane reports. */
    private GatewayRow nextGeneration(String json, String newEtag, OperationalState state, Instant now) {
        return new GatewayRow(
                id,
                resourceKey,
                subscriptionKey,
                groupKey,
                subscriptionId,
                resourceGroup,
                name,
                json,
                newEtag,
                generation + 1,
                ProvisioningState.Updating,
                appliedGeneration,
                null,
                createdAt,
                now,
                state,
                provisioningState == ProvisioningState.Updating ? statusChangedAt : now,
                version);
    }

    /** The row as stored by an insert ({@code id} given) or an update (the next version). */
    GatewayRow stored(long newId, long newVersion) {
        return new GatewayRow(
                newId,
                resourceKey,
                subscriptionKey,
                groupKey,
                subscriptionId,
                resourceGroup,
                name,
                document,
                etag,
                generation,
                provisioningState,
                appliedGeneration,
                provisioningError,
                createdAt,
                updatedAt,
                operationalState,
                statusChangedAt,
                newVersion);
    }
}
